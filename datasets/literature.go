package datasets

import (
	"math"
	"strings"
)

// Reference is one entry of the literature table: a published description
// of a synaptic weight distribution. Quantitative entries carry a Law usable
// as the initial law of a simulation; qualitative ones have Law == nil.
type Reference struct {
	Name     string // short key, e.g. "song2005"
	Citation string // full citation with DOI
	Measure  string // what was measured, in which preparation, in which unit
	Law      Law    // nil for qualitative entries
	// Derivation says where the parameters come from: reported by the
	// authors, or derived by us from reported statistics (and how).
	Derivation string
	Finding    string // the qualitative result relevant to the geometry question
}

// Quantitative reports whether the entry has a usable law.
func (r Reference) Quantitative() bool { return r.Law != nil }

// literature is the table. Add entries only with a checkable source, and say
// in Derivation exactly what is reported and what is derived.
var literature = []Reference{
	{
		Name: "song2005",
		Citation: "Song S, Sjöström PJ, Reigl M, Nelson S, Chklovskii DB (2005). Highly nonrandom features of " +
			"synaptic connectivity in local cortical circuits. PLoS Biology 3(3): e68. doi:10.1371/journal.pbio.0030068",
		Measure: "unitary EPSP amplitudes between thick-tufted layer-5 pyramidal neurons, rat visual cortex " +
			"slices (mV)",
		Law: LogNormal{MeanLog: -0.702, SDLog: 0.9355},
		Derivation: "reported: log-normal fit to the EPSP amplitudes with mean −0.702 and standard deviation " +
			"0.9355 of the natural log of the amplitude in mV (median 0.50 mV, mean 0.77 mV)",
		Finding: "EPSP amplitudes are log-normal: a heavy tail of a few strong connections",
	},
	{
		Name: "avermann2012",
		Citation: "Avermann M, Tomm C, Mateo C, Gerstner W, Petersen CCH (2012). Microcircuits of excitatory " +
			"and inhibitory neurons in layer 2/3 of mouse barrel cortex. Journal of Neurophysiology 107(11): " +
			"3116–3134. doi:10.1152/jn.00917.2011",
		Measure: "unitary EPSP amplitudes between excitatory layer-2/3 neurons, mouse barrel cortex slices " +
			"(mV; 16 connections, range 0.06–1.42 mV)",
		Law: LogNormal{MeanLog: math.Log(0.20), SDLog: math.Sqrt(2 * math.Log(0.37/0.20))},
		Derivation: "derived: the paper reports mean 0.37 mV and median 0.20 mV (Table 2), not a fit; a " +
			"log-normal with the same median and mean has mu = ln 0.20 = −1.609 and " +
			"sigma = sqrt(2·ln(0.37/0.20)) = 1.109",
		Finding: "weak connections dominate, with a long tail of strong ones (mean about twice the median)",
	},
	{
		Name: "loewenstein2011",
		Citation: "Loewenstein Y, Kuras A, Rumpel S (2011). Multiplicative dynamics underlie the emergence of " +
			"the log-normal distribution of spine sizes in the neocortex in vivo. Journal of Neuroscience " +
			"31(26): 9481–9488. doi:10.1523/JNEUROSCI.6130-10.2011",
		Measure: "dendritic spine sizes imaged repeatedly in vivo, mouse auditory cortex (arbitrary " +
			"fluorescence units)",
		Derivation: "qualitative: no parameters are taken from this paper",
		Finding: "spine sizes are log-normal and stationary over weeks, and their changes are proportional to " +
			"their size: multiplicative dynamics, as negative entropy predicts",
	},
	{
		Name: "dorkenwald2022",
		Citation: "Dorkenwald S, Turner NL, Macrina T, Lee K, Lu R, Wu J, et al. (2022). Binary and analog " +
			"variation of synapses between cortical pyramidal neurons. eLife 11: e76120. " +
			"doi:10.7554/eLife.76120",
		Measure: "sizes of synapses between layer-2/3 pyramidal cells, reconstructed by serial-section " +
			"electron microscopy, mouse primary visual cortex",
		Derivation: "qualitative: no parameters are taken from this paper; twopoint:LOW,HIGH,P can play the " +
			"binary part as an initial law",
		Finding: "synapse size is a binary state plus a log-normal analogue part, rather than one log-normal",
	},
}

// Literature returns the literature table in a fixed order.
func Literature() []Reference { return append([]Reference(nil), literature...) }

// LookupLiterature finds an entry by name, ignoring case.
func LookupLiterature(name string) (Reference, bool) {
	for _, r := range literature {
		if strings.EqualFold(r.Name, name) {
			return r, true
		}
	}
	return Reference{}, false
}

// LiteratureLaw returns the initial law of a quantitative entry, or an input
// error naming the entries that have one.
func LiteratureLaw(name string) (Law, error) {
	r, ok := LookupLiterature(name)
	if !ok || r.Law == nil {
		var names []string
		for _, e := range literature {
			if e.Law != nil {
				names = append(names, e.Name)
			}
		}
		if ok {
			return nil, paramErrorf("literature entry %q is qualitative and has no distribution; entries with one: %s", name, strings.Join(names, ", "))
		}
		return nil, paramErrorf("unknown literature entry %q; entries with a distribution: %s", name, strings.Join(names, ", "))
	}
	return r.Law, nil
}
