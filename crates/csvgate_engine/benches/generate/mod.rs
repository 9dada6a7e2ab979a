//! A deterministic generator of realistic entitlements-upload CSV files, for the
//! throughput benchmark (and for tests that need large or defective inputs).
//!
//! The rows look like what people upload: a handful of projects (a GitHub org, an AWS
//! account, an Okta org, an Azure tenant, the default project), each with its own
//! privileges, connections and resources; a fixed pool of identities whose email, user
//! ID and username never change (so identity consistency holds), each listed in a run of
//! 1 to 12 consecutive rows as exports group an identity's entitlements; booleans in any
//! letter case; pairs (Connection/Connection Type, Resource/Resource Type, the
//! provider pair) filled together; quoted values holding commas ("Koch, Ayden",
//! "balkanid-inc,balkan"); and a few values holding a line break.
//!
//! Every row carries a row-unique resource, so a clean file has no duplicate rows: a
//! clean file (defect rate 0) gives no finding at all.
//!
//! The output depends only on the [`Config`]'s seed, identity count and defect rate:
//! a smaller file is a prefix of a larger one. The generator uses its own xorshift
//! PRNG, not the `rand` crate.
//!
//! A test can include it with `#[path = "../benches/generate/mod.rs"] mod generate;`.

// Shared by the benchmark and tests: not every user calls every item.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::Path;

/// The header of an entitlements upload, in the schema's column order.
pub const HEADER: &str = "Project,Privilege Name,Privilege Value,Email,User ID,Username,Name,Connection,Connection Type,Connection Provider,Connection Provider Type,Resource,Resource Type,Project Aliases";

/// Fields per record.
pub const COLUMNS: u64 = 14;

/// One megabyte, as sizes are given: 10^6 bytes.
pub const MB: u64 = 1_000_000;

/// What to generate.
#[derive(Debug, Clone)]
pub struct Config {
    /// Stop after the record that reaches this many bytes.
    pub bytes: u64,
    /// The size of the identity pool the rows draw from.
    pub identities: usize,
    /// The share of rows (0.0 to 1.0) that get one planted defect.
    pub defect_rate: f64,
    /// The PRNG seed (any value; 0 is replaced by a fixed non-zero one).
    pub seed: u64,
}

impl Config {
    /// A clean file of about `mb` megabytes (10^6 bytes) drawn from 50,000 identities.
    pub fn mb(mb: u64) -> Config {
        Config::bytes(mb * MB)
    }

    /// A clean file of about `bytes` bytes drawn from 50,000 identities.
    pub fn bytes(bytes: u64) -> Config {
        Config {
            bytes,
            identities: 50_000,
            defect_rate: 0.0,
            seed: 0x5EED_CAFE_F00D_0001,
        }
    }

    /// The same, with this share of rows holding one planted defect.
    pub fn defect_rate(mut self, rate: f64) -> Config {
        self.defect_rate = rate.clamp(0.0, 1.0);
        self
    }

    /// The same, drawing from this many identities.
    pub fn identities(mut self, identities: usize) -> Config {
        self.identities = identities.max(1);
        self
    }
}

/// What was generated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Bytes written, header included.
    pub bytes: u64,
    /// Data records (the header is not counted).
    pub records: u64,
    /// Physical lines, header included (a multi-line value adds lines).
    pub lines: u64,
    /// Data fields written in quotes because they hold a comma.
    pub quoted_with_comma: u64,
    /// Data fields holding a line break.
    pub multiline_fields: u64,
    /// Planted defects, by kind.
    pub defects: Defects,
}

impl Stats {
    /// Data fields written.
    pub fn fields(&self) -> u64 {
        self.records * COLUMNS
    }
}

/// Planted defects, by kind; each is one finding of the rule named.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Defects {
    /// `invalid-boolean`: Privilege Value is yes, 1, no, maybe...
    pub bad_boolean: u64,
    /// `invalid-email`: an email with no `@` (also makes the identity inconsistent).
    pub bad_email: u64,
    /// `missing-value`: an empty Privilege Name.
    pub empty_privilege_name: u64,
    /// `invalid-list`: Project Aliases with an empty item.
    pub empty_alias: u64,
    /// `incomplete-pair`: a Resource without its Resource Type.
    pub incomplete_pair: u64,
}

impl Defects {
    /// All planted defects.
    pub fn total(&self) -> u64 {
        self.bad_boolean
            + self.bad_email
            + self.empty_privilege_name
            + self.empty_alias
            + self.incomplete_pair
    }
}

/// Writes a generated file to `path` (through a temporary file renamed at the end, so
/// that an interrupted run leaves no partial file behind), creating its folder.
pub fn write_file(config: &Config, path: &Path) -> io::Result<Stats> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = Path::new(&partial);
    let file = fs::File::create(partial)?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    let stats = write(config, &mut out)?;
    out.into_inner()
        .map_err(io::IntoInnerError::into_error)?
        .sync_all()?;
    fs::rename(partial, path)?;
    Ok(stats)
}

/// A generated file in memory.
pub fn to_vec(config: &Config) -> (Vec<u8>, Stats) {
    let mut out = Vec::with_capacity(usize::try_from(config.bytes).unwrap_or(0) + 4096);
    // Writing to a Vec cannot fail.
    let stats = write(config, &mut out).unwrap_or_default();
    (out, stats)
}

/// Writes a generated file.
pub fn write<W: Write>(config: &Config, mut out: W) -> io::Result<Stats> {
    let mut rng = Rng::new(config.seed);
    let identities: Vec<Identity> = (0..config.identities)
        .map(|i| Identity::new(i, &mut rng))
        .collect();
    let mut stats = Stats::default();
    let mut line = Vec::with_capacity(1024);
    line.extend_from_slice(HEADER.as_bytes());
    line.push(b'\n');
    out.write_all(&line)?;
    stats.bytes += line.len() as u64;
    stats.lines += 1;
    let mut row = Row::default();
    while stats.bytes < config.bytes {
        row.fill(stats.records, &identities, &mut rng);
        if rng.chance(config.defect_rate) {
            row.plant_defect(&mut rng, &mut stats.defects);
        }
        line.clear();
        for (index, value) in row.values().iter().enumerate() {
            if index > 0 {
                line.push(b',');
            }
            if value.contains(',') {
                stats.quoted_with_comma += 1;
            }
            if value.contains('\n') {
                stats.multiline_fields += 1;
                stats.lines += value.matches('\n').count() as u64;
            }
            push_field(&mut line, value);
        }
        line.push(b'\n');
        out.write_all(&line)?;
        stats.bytes += line.len() as u64;
        stats.records += 1;
        stats.lines += 1;
    }
    out.flush()?;
    Ok(stats)
}

/// Appends a value, quoted (with inner quotes doubled) when it needs to be.
fn push_field(line: &mut Vec<u8>, value: &str) {
    if value.contains([',', '"', '\n', '\r']) {
        line.push(b'"');
        for byte in value.bytes() {
            if byte == b'"' {
                line.push(b'"');
            }
            line.push(byte);
        }
        line.push(b'"');
    } else {
        line.extend_from_slice(value.as_bytes());
    }
}

/// xorshift64: small, fast, deterministic; plenty for test data.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(if seed == 0 {
            0x9E37_79B9_7F4A_7C15
        } else {
            seed
        })
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A number in `0..n` (the modulo bias is irrelevant here).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// True with probability `p`.
    fn chance(&mut self, p: f64) -> bool {
        if p <= 0.0 {
            return false;
        }
        ((self.next() >> 11) as f64) / ((1u64 << 53) as f64) < p
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Given names as shown, and as they appear in an email address.
const FIRST: &[(&str, &str)] = &[
    ("Ayden", "ayden"),
    ("Bo", "bo"),
    ("Zoë", "zoe"),
    ("Dee", "dee"),
    ("Mira", "mira"),
    ("José", "jose"),
    ("Jürgen", "juergen"),
    ("Priya", "priya"),
    ("Wei", "wei"),
    ("Fatima", "fatima"),
    ("Liam", "liam"),
    ("Noah", "noah"),
    ("Olivia", "olivia"),
    ("Emma", "emma"),
    ("Sofia", "sofia"),
    ("Mateo", "mateo"),
    ("Aroha", "aroha"),
    ("Kenji", "kenji"),
    ("Ingrid", "ingrid"),
    ("Chidi", "chidi"),
    ("Ana", "ana"),
    ("Lucas", "lucas"),
    ("Hana", "hana"),
    ("Omar", "omar"),
    ("Sean", "sean"),
    ("Elif", "elif"),
    ("Tomás", "tomas"),
    ("Yara", "yara"),
    ("Ravi", "ravi"),
    ("Greta", "greta"),
];

/// Family names as shown, and as they appear in an email address or username.
const LAST: &[(&str, &str)] = &[
    ("Koch", "koch"),
    ("Silva", "silva"),
    ("Müller", "mueller"),
    ("O'Brien", "obrien"),
    ("Nakamura", "nakamura"),
    ("García", "garcia"),
    ("Okafor", "okafor"),
    ("Smith", "smith"),
    ("Johansson", "johansson"),
    ("Kowalski", "kowalski"),
    ("Nguyen", "nguyen"),
    ("Haddad", "haddad"),
    ("Rossi", "rossi"),
    ("Patel", "patel"),
    ("Chen", "chen"),
    ("Dubois", "dubois"),
    ("Novak", "novak"),
    ("Te Rangi", "terangi"),
    ("Yilmaz", "yilmaz"),
    ("Schmidt", "schmidt"),
    ("Andersen", "andersen"),
    ("Costa", "costa"),
    ("Ivanova", "ivanova"),
    ("Murphy", "murphy"),
    ("Kim", "kim"),
    ("Da Silva", "dasilva"),
    ("Van Dijk", "vandijk"),
    ("Mensah", "mensah"),
    ("Fischer", "fischer"),
    ("Lopez", "lopez"),
];

const DOMAINS: &[&str] = &[
    "example.com",
    "balkanid.com",
    "contoso.onmicrosoft.com",
    "corp.example.org",
    "mail.example.co.uk",
];

/// One identity: the same email, user ID and username on every row it appears on.
struct Identity {
    email: String,
    user_id: String,
    username: String,
    name: String,
}

impl Identity {
    fn new(index: usize, rng: &mut Rng) -> Identity {
        let (first, first_slug) = FIRST[rng.below(FIRST.len())];
        let (last, last_slug) = LAST[rng.below(LAST.len())];
        // The index keeps every identifier unique to its identity.
        let n = index as u64;
        if rng.chance(0.04) {
            // A service account: no email or username, an AWS-style ID.
            return Identity {
                email: String::new(),
                user_id: format!("AIDA{:016X}", n.wrapping_mul(0x9E37_79B9) ^ 0xA5A5),
                username: String::new(),
                name: format!("{} Pipeline (service)", last),
            };
        }
        let user_id = match rng.below(10) {
            // 7919 is prime to 10^8: distinct indices give distinct IDs.
            0..=5 => format!("{:08}", (n * 7_919 + 10_000_019) % 100_000_000),
            6..=8 => format!("00u{:x}{:07x}", n + 0x1a2b, n * 31 % 0xFFF_FFFF),
            _ => String::new(),
        };
        let email = if rng.chance(0.9) || user_id.is_empty() {
            format!("{first_slug}.{last_slug}{n}@{}", rng.pick(DOMAINS))
        } else {
            String::new()
        };
        let username = if rng.chance(0.85) {
            format!("{last_slug}{n}")
        } else {
            String::new()
        };
        let name = if rng.chance(0.26) {
            format!("{last}, {first}")
        } else {
            format!("{first} {last}")
        };
        Identity {
            email,
            user_id,
            username,
            name,
        }
    }
}

/// A project and what its rows hold.
struct Project {
    name: &'static str,
    aliases: &'static str,
    /// Share of rows, in percent.
    weight: usize,
    privileges: &'static [&'static str],
    /// Connection and its type.
    connections: &'static [(&'static str, &'static str)],
    /// Connection provider and its type.
    providers: &'static [(&'static str, &'static str)],
    /// Resource (a row number is appended) and its type.
    resources: &'static [(&'static str, &'static str)],
}

const PROJECTS: &[Project] = &[
    Project {
        name: "balkanid",
        aliases: "balkanid-inc,balkan",
        weight: 40,
        privileges: &["pull", "push", "admin", "triage", "maintain"],
        connections: &[
            ("read", "repository-role"),
            ("write", "repository-role"),
            ("admin", "repository-role"),
            ("platform-team", "team"),
            ("Maintainers, EU", "team"),
        ],
        providers: &[("engineering", "team")],
        resources: &[
            ("ops", "repository"),
            ("platform-api", "repository"),
            ("web-frontend", "repository"),
            ("infra-terraform", "repository"),
        ],
    },
    Project {
        name: "123456789012",
        aliases: "prod-account",
        weight: 25,
        privileges: &[
            "s3:GetObject",
            "s3:PutObject",
            "ec2:DescribeInstances",
            "iam:PassRole",
            "lambda:InvokeFunction",
        ],
        connections: &[
            ("ReadOnlyAccess", "policy"),
            ("PowerUserAccess", "policy"),
            ("DataEngineers", "group"),
        ],
        providers: &[("Admins", "group"), ("AWSReservedSSO_Admin", "role")],
        resources: &[
            ("arn:aws:s3:::reports", "s3-bucket"),
            (
                "arn:aws:ec2:us-east-1:123456789012:instance/i-0abc",
                "ec2-instance",
            ),
            (
                "arn:aws:lambda:eu-west-1:123456789012:function:etl",
                "lambda",
            ),
        ],
    },
    Project {
        name: "https://your-org.okta.com",
        aliases: "okta-prod, okta",
        weight: 15,
        privileges: &["member", "admin", "app-user"],
        connections: &[("engineering", "group"), ("Sales, EMEA", "group")],
        providers: &[("okta-admins", "group")],
        resources: &[("salesforce", "application"), ("github-sso", "application")],
    },
    Project {
        name: "contoso.onmicrosoft.com",
        aliases: "contoso,contoso-azure",
        weight: 12,
        privileges: &["Global Reader", "User Administrator", "Contributor"],
        connections: &[("Global Reader", "directory-role")],
        providers: &[("IT Admins", "group")],
        resources: &[
            (
                "subscriptions/3f2a/resourceGroups/rg-prod",
                "resource-group",
            ),
            ("Finance, shared mailbox", "mailbox"),
        ],
    },
    Project {
        name: "",
        aliases: "",
        weight: 8,
        privileges: &["read", "write", "owner"],
        connections: &[("viewers", "group")],
        providers: &[],
        resources: &[("wiki", "space"), ("Reports, Q3", "folder")],
    },
];

/// The values of one row, reused from row to row.
#[derive(Default)]
struct Row {
    values: [String; COLUMNS as usize],
    /// The identity of the current run of rows, and how many rows the run has left:
    /// exports list an identity's entitlements together, in runs of 1 to 12 rows.
    identity: usize,
    run_left: u32,
}

const PROJECT: usize = 0;
const PRIVILEGE_NAME: usize = 1;
const PRIVILEGE_VALUE: usize = 2;
const EMAIL: usize = 3;
const USER_ID: usize = 4;
const USERNAME: usize = 5;
const NAME: usize = 6;
const CONNECTION: usize = 7;
const CONNECTION_TYPE: usize = 8;
const PROVIDER: usize = 9;
const PROVIDER_TYPE: usize = 10;
const RESOURCE: usize = 11;
const RESOURCE_TYPE: usize = 12;
const ALIASES: usize = 13;

impl Row {
    fn values(&self) -> &[String] {
        &self.values
    }

    fn set(&mut self, index: usize, value: &str) {
        self.values[index].clear();
        self.values[index].push_str(value);
    }

    fn fill(&mut self, number: u64, identities: &[Identity], rng: &mut Rng) {
        for value in &mut self.values {
            value.clear();
        }
        let mut roll = rng.below(100);
        let project = PROJECTS
            .iter()
            .find(|p| {
                if roll < p.weight {
                    true
                } else {
                    roll -= p.weight;
                    false
                }
            })
            .unwrap_or(&PROJECTS[0]);
        if self.run_left == 0 {
            self.identity = rng.below(identities.len());
            self.run_left = 1 + rng.below(12) as u32;
        }
        self.run_left -= 1;
        let identity = &identities[self.identity];

        self.set(PROJECT, project.name);
        self.set(PRIVILEGE_NAME, rng.pick(project.privileges));
        let value = if rng.chance(0.88) {
            rng.pick(&["true", "true", "true", "TRUE", "True"])
        } else {
            rng.pick(&["false", "false", "FALSE"])
        };
        self.set(PRIVILEGE_VALUE, value);
        self.set(EMAIL, &identity.email);
        self.set(USER_ID, &identity.user_id);
        self.set(USERNAME, &identity.username);
        if rng.chance(0.9) {
            self.set(NAME, &identity.name);
        }
        if rng.chance(0.75) {
            let (connection, kind) = project.connections[rng.below(project.connections.len())];
            self.set(CONNECTION, connection);
            self.set(CONNECTION_TYPE, kind);
            if !project.providers.is_empty() && rng.chance(0.2) {
                let (provider, kind) = project.providers[rng.below(project.providers.len())];
                self.set(PROVIDER, provider);
                self.set(PROVIDER_TYPE, kind);
            }
        }
        // Always a resource, numbered by the row, so that no two rows are the same.
        let (resource, kind) = project.resources[rng.below(project.resources.len())];
        // Writing to a String cannot fail.
        let _ = write!(self.values[RESOURCE], "{resource}-{number}");
        self.set(RESOURCE_TYPE, kind);
        if rng.chance(0.45) {
            self.set(ALIASES, project.aliases);
        }
        // About one row in 200 has a value running over two lines.
        if rng.chance(0.005) {
            if rng.chance(0.5) && !self.values[NAME].is_empty() {
                self.values[NAME] = self.values[NAME].replacen(' ', "\n", 1);
                if !self.values[NAME].contains('\n') {
                    self.values[NAME].push_str("\n(contractor)");
                }
            } else {
                self.values[RESOURCE].push_str("\n(archived)");
            }
        }
    }

    fn plant_defect(&mut self, rng: &mut Rng, defects: &mut Defects) {
        match rng.below(5) {
            0 => {
                let bad = rng.pick(&["yes", "1", "no", "maybe", "Y"]);
                self.set(PRIVILEGE_VALUE, bad);
                defects.bad_boolean += 1;
            }
            1 if self.values[EMAIL].contains('@') => {
                self.values[EMAIL] = self.values[EMAIL].replacen('@', ".", 1);
                defects.bad_email += 1;
            }
            2 => {
                self.values[PRIVILEGE_NAME].clear();
                defects.empty_privilege_name += 1;
            }
            3 => {
                self.set(ALIASES, "balkan,,balkanid-inc");
                defects.empty_alias += 1;
            }
            _ => {
                self.values[RESOURCE_TYPE].clear();
                defects.incomplete_pair += 1;
            }
        }
    }
}
