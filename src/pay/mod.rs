//! Individual pay: position pay pro rata, result pay by evaluation, art. 30 differentiation,
//! interim supplements, and the reconciliation of the fund.
