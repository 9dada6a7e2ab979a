//! One module per subcommand. Each writes its result to the given output and its
//! messages through the [`Console`](crate::console::Console), and returns the exit
//! status; an `Err` is a failure to write the output.

pub mod check;
pub mod completions;
pub mod explain;
pub mod infer;
pub mod man;
pub mod schema;
pub mod schemas;
pub mod template;
