//! ccdi: the managers' pay fund of an Italian comune (*fondo per la retribuzione di posizione e
//! di risultato della dirigenza*), from the rules file to every figure, exact to the cent.
//!
//! (Code map and invariants are completed as the modules land.)

pub mod alloc;
pub mod money;
pub mod peg;
