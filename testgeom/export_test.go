package testgeom

// ChiBarSquaredSurvival exposes chiBarSquaredSurvival to the external tests.
var ChiBarSquaredSurvival = chiBarSquaredSurvival
