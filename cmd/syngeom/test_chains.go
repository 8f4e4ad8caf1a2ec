package main

import (
	"fmt"

	"github.com/syngeom/syngeom/testgeom"
)

// intervalText names λ̂'s headline interval and gives the Gaussian-model LR
// interval beside it.
func intervalText(r *testgeom.Result) string {
	li := r.LambdaInterval
	if li == nil || li.Method == "lr" {
		s := "LR interval " + testCI(r.LambdaCI) + ", Gaussian dual step assumed"
		if li != nil && li.Note != "" {
			s += "; " + li.Note
		}
		return s
	}
	kind := "robust interval"
	if li.StudentT() {
		s := "Student-t step model's LR interval " + testCI(r.LambdaCI)
		if li.Method == "cluster_robust_student_t_lr" {
			s = fmt.Sprintf("Student-t step model's synapse-robust interval %s (k_t = %s)", testCI(r.LambdaCI), testNum(r.StepModels.StudentT.ClusterScale, "%.2f"))
		}
		if li.GaussianLambdaHat != nil && len(li.GaussianCI) == 2 {
			s += fmt.Sprintf("; Gaussian model λ̂ = %.4f, %s interval %s", *li.GaussianLambdaHat, (&testgeom.LambdaInterval{Method: li.GaussianMethod}).Label(), testCI([2]*float64{li.GaussianCI[0], li.GaussianCI[1]}))
		}
		return s + "; Gaussian-model LR interval " + testCI(li.LRCI)
	}
	if li.Method == "cluster_robust_lr" {
		kind = fmt.Sprintf("synapse-robust interval (%d synapses)", li.Clusters)
	}
	return fmt.Sprintf("%s %s, scale k = %s; Gaussian-model LR interval %s", kind, testCI(r.LambdaCI), testNum(li.Scale, "%.2f"), testCI(li.LRCI))
}

// robustPText is the robust p-value of an LR test, if any.
func robustPText(t testgeom.LRTest) string {
	if t.PValueRobust == nil {
		return ""
	}
	return ", robust p " + testgeom.PValueText(*t.PValueRobust, false, 0)
}

// lrModelText names the step model of the LR tests when the headline is the
// Student-t model's.
func lrModelText(r *testgeom.Result) string {
	if r.LambdaInterval.StudentT() {
		return " (Student-t step model)"
	}
	return ""
}
