package compare

import (
	"context"
	"testing"
	"time"

	"github.com/syngeom/syngeom/internal/cancelcheck"
	"github.com/syngeom/syngeom/testgeom"
)

// A context cancelled before or during a comparison stops it with
// ctx.Err().

func TestControlContextCancelled(t *testing.T) {
	w0, w1, _ := cancelcheck.Pairs(4_000_000) // seconds of profile evaluations
	h := len(w0) / 2
	cancelcheck.Check(t, 100*time.Millisecond, func(ctx context.Context) error {
		_, err := ControlContext(ctx, w0[:h], w1[:h], w0[h:], w1[h:], 0)
		return err
	})
}

func TestGroupsContextCancelled(t *testing.T) {
	w0, w1, group := cancelcheck.Pairs(4_000_000)
	cancelcheck.Check(t, 100*time.Millisecond, func(ctx context.Context) error {
		_, err := GroupsClusteredContext(ctx, w0, w1, group, []string{"a", "b"}, nil, 0)
		return err
	})
	// The Student-t refit runs on groups of at most groupStudentTMax pairs.
	s0, s1, sg := w0[:groupStudentTMax/2], w1[:groupStudentTMax/2], group[:groupStudentTMax/2]
	cancelcheck.Check(t, 300*time.Millisecond, func(ctx context.Context) error {
		_, err := GroupsContext(ctx, s0, s1, sg, []string{"a", "b"}, 0)
		return err
	})
}

func TestSecondPassesContextCancelled(t *testing.T) {
	// Two groups of groupStudentTMax/2 pairs, all kept by the passes: the
	// exact profiles and the Student-t refit run as in memory.
	w0, w1, _ := cancelcheck.Pairs(groupStudentTMax)
	h := len(w0) / 2
	passes := make([]*testgeom.SecondPass, 2)
	for g := range passes {
		a, b := w0[g*h:(g+1)*h], w1[g*h:(g+1)*h]
		sc := testgeom.NewScan(nil, 0)
		sc.Add(a, b)
		passes[g] = sc.SecondPass(h, 1)
		passes[g].Add(a, b)
	}
	cancelcheck.Check(t, 200*time.Millisecond, func(ctx context.Context) error {
		_, err := SecondPassesContext(ctx, []string{"a", "b"}, passes)
		return err
	})
}
