//! `csvgate explain`: a rule's documentation, or the list of every rule.

use std::io::{self, Write};

use csvgate_diagnostics::Rule;

use crate::console::Console;
use crate::exit::ExitStatus;

/// Writes the explanation of the rule named `rule`, or with no rule, one line per rule
/// of the catalogue: name, group, default severity and summary.
pub fn run(rule: Option<&str>, out: &mut dyn Write, console: &Console) -> io::Result<ExitStatus> {
    let Some(name) = rule else {
        list(out)?;
        return Ok(ExitStatus::Success);
    };
    let Some(rule) = Rule::from_name(name) else {
        let mut help = Vec::new();
        if let Some(near) = csvgate_schema::suggest(name, Rule::ALL.iter().map(|r| r.name())) {
            help.push(format!("did you mean `{near}`?"));
        }
        help.push("`csvgate explain` without a rule lists every rule".to_owned());
        console.error_with_help(format_args!("unknown rule `{name}`"), &help);
        return Ok(ExitStatus::Error);
    };
    let text = csvgate_engine::explain(rule);
    out.write_all(text.as_bytes())?;
    if !text.ends_with('\n') {
        out.write_all(b"\n")?;
    }
    Ok(ExitStatus::Success)
}

fn list(out: &mut dyn Write) -> io::Result<()> {
    let width = |column: fn(Rule) -> &'static str| {
        Rule::ALL
            .iter()
            .map(|&rule| column(rule).len())
            .max()
            .unwrap_or(0)
    };
    let name_width = width(Rule::name);
    let group_width = width(|rule| rule.group().name());
    let severity_width = width(|rule| rule.default_severity().as_str());
    for &rule in Rule::ALL {
        writeln!(
            out,
            "{:<name_width$}  {:<group_width$}  {:<severity_width$}  {}",
            rule.name(),
            rule.group().name(),
            rule.default_severity().as_str(),
            rule.summary()
        )?;
    }
    Ok(())
}
