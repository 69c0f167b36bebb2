//! PEG / Piano della Performance: reading indicator targets and computing objective attainment.
