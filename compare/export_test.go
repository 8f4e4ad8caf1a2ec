package compare

// ChiBarSquaredSurvival exposes chiBarSquaredSurvival to the external tests.
var ChiBarSquaredSurvival = chiBarSquaredSurvival
