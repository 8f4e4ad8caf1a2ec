package splitmix

import "testing"

// Reference values of splitmix64 (the first outputs of the generator seeded
// with 0 and 1234567, as in Vigna's splitmix64.c, whose state advances by
// the increment before the finaliser, as Mix does).
func TestMixReference(t *testing.T) {
	cases := []struct{ in, want uint64 }{
		{0, 0xe220a8397b1dcdaf},
		{1234567, 0x599ed017fb08fc85},
	}
	for _, c := range cases {
		if got := Mix(c.in); got != c.want {
			t.Errorf("Mix(%d) = %#x, want %#x", c.in, got, c.want)
		}
	}
}
