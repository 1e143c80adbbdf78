//! Documents the platform hands out (an invoice's PDF), rendered from plain values without I/O,
//! so that the admin API's download and the invoice email attach the same file.

pub mod invoice_pdf;
