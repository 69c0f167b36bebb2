//! The output wing: computed results → what people read. Text, CSV, JSON, HTML and the Excel
//! workbook, the RGS documents and the transparency table. Pure renderers into `String`s or
//! writers.

pub mod documents;
pub mod html;
pub mod report;
pub mod transparency;
pub mod xlsx;
