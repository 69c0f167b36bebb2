//! `posti.csv`, the organisation chart (*organigramma*): every post, filled or not, with its
//! yearly position pay, its grading points and its structure's score, read into
//! [`Staff::posts`]. Checked against the managers (each `incarico` a post with the same
//! position pay and points, the holders of one post not overlapping), the interim
//! assignments (each covered post a post with the same position pay) and the rules' keys
//! that need the chart's points or scores; without the file, the keys that need it are
//! errors at their lines ([`missing_chart`]).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use super::csv::{columns, Cells, CsvOptions, Row, Table};
use super::files::edit_distance;
use super::{INTERIM_FILE, MANAGERS_FILE, POSTS_FILE};
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::money::{date_it, format_it, Money};
use crate::pay::{
    interim_fraction, served, BaseWeight, InterimBase, InterimScore, QuotaPosts, ResultQuota,
    ServiceFraction,
};
use crate::rules::Rules;
use crate::staff::{Interim, Manager, Post, Staff};
use crate::trail::Origin;

columns! {
    /// The columns of `posti.csv`.
    pub POST_COLUMNS {
        P_INCARICO: req("incarico"),
        P_RETRIBUZIONE: req("retribuzione_posizione"),
        P_PUNTI: opt("punti_pesatura"),
        P_PUNTEGGIO: opt("punteggio"),
    }
}

/// What to write in `posti.csv`, for the messages that ask for it.
const POSTS_HELP: &str = "posti.csv con le colonne incarico, retribuzione_posizione, punti_pesatura (facoltativa) e punteggio (facoltativa, il punteggio della struttura dato dal Nucleo di Valutazione): un posto dell'organigramma per riga, coperto o vacante";

/// Reads `posti.csv` into `staff.posts` (a post named twice is an error at the second row)
/// and checks it against the managers, the interim assignments and the rules; all the
/// problems are reported together.
pub fn read_posts(
    file: (&str, &[u8]),
    staff: &mut Staff,
    rules: &Rules,
    opts: CsvOptions,
) -> Diagnostics {
    let table = match Table::parse(file.0, file.1, POST_COLUMNS, opts) {
        Ok(t) => t,
        Err(d) => return d,
    };
    let mut cells = Cells::new(&table);
    let rows = read_rows(&mut cells);
    let mut diags = cells.diags;
    let (posts, rows): (Vec<Post>, Vec<&Row>) = rows.into_iter().unzip();
    let chart = Chart {
        posts: &posts,
        index: posts
            .iter()
            .enumerate()
            .map(|(k, p)| (&*p.name, k))
            .collect(),
    };
    diags.extend(chart.check_managers(&staff.managers));
    diags.extend(chart.check_interims(staff));
    diags.extend(check_holders(
        &staff.managers,
        rules.year,
        rules.pay.service,
    ));
    diags.extend(chart.check_needs(&table, &rows, staff, rules));
    if rules.pay.interim_base == InterimBase::ResultQuota {
        diags.extend(check_interim_cover(staff, rules.year, rules.pay.service));
    }
    chart.fill_points(&mut staff.managers);
    staff.posts = posts;
    diags
}

/// The rows of `posti.csv` that are valid, each with its row (for the located errors of the
/// rules' needs): a bad cell is reported and its row dropped; a post named a second time is
/// an error at that row.
fn read_rows<'t>(cells: &mut Cells<'t>) -> Vec<(Post, &'t Row)> {
    let table = cells.table;
    let mut seen: FxHashMap<&str, usize> = FxHashMap::default();
    let mut out = Vec::with_capacity(table.rows.len());
    for row in &table.rows {
        let name = cells.required(row, P_INCARICO);
        let pay = cells.amount(row, P_RETRIBUZIONE);
        let points = optional(cells, row, P_PUNTI, Decimal::from(1_000_000));
        let score = optional(cells, row, P_PUNTEGGIO, Decimal::ONE_HUNDRED);
        let Some(name) = name else {
            continue;
        };
        if let Some(first) = seen.get(name) {
            let msg = format!("posto \"{name}\" già presente alla riga {first}: ogni posto dell'organigramma va indicato una volta sola; togliere questa riga o dare al posto il suo nome");
            cells.error(row, P_INCARICO, msg);
            continue;
        }
        seen.insert(name, row.line);
        let (Some(pay), Some(points), Some(score)) = (pay, points, score) else {
            continue;
        };
        let post = Post {
            name: name.into(),
            yearly_position_pay: pay,
            grading_points: points,
            score,
            origin: table.origin(row),
        };
        out.push((post, row));
    }
    out
}

/// An optional number from 0 to `max`: `Some(None)` when empty, `None` when bad (reported).
fn optional(cells: &mut Cells, row: &Row, col: usize, max: Decimal) -> Option<Option<Decimal>> {
    if cells.table.cell(row, col).is_empty() {
        return Some(None);
    }
    cells.number(row, col, Decimal::ZERO, max).map(Some)
}

/// The location of a column of a row read before (file and line of its origin).
fn at(origin: &Origin, column: &str) -> Location {
    Location::at(&origin.file, origin.line, 0, Some(column.to_string()))
}

/// The organisation chart as read, with each post's index by name.
struct Chart<'a> {
    posts: &'a [Post],
    index: FxHashMap<&'a str, usize>,
}

impl Chart<'_> {
    /// The post named `name`, or else (in `diags`) an error at `origin`'s `column` naming
    /// the closest post of the chart.
    fn post(
        &self,
        name: &str,
        (origin, column): (&Origin, &str),
        diags: &mut Diagnostics,
    ) -> Option<&Post> {
        if let Some(&k) = self.index.get(name) {
            return Some(&self.posts[k]);
        }
        let hint = match self.closest(name) {
            Some(p) => format!(
                "il posto più vicino è \"{}\" (riga {}): scrivere il nome come in {POSTS_FILE}, o aggiungere il posto a {POSTS_FILE}",
                p.name, p.origin.line
            ),
            None => format!("{POSTS_FILE} non ha posti: aggiungere il posto a {POSTS_FILE}"),
        };
        diags.push(Diagnostic::error(
            at(origin, column),
            format!("incarico \"{name}\" assente da {POSTS_FILE}; {hint}"),
        ));
        None
    }

    /// The post whose name is closest to `name`, case aside: one whose name holds it or is
    /// held in it (`Area servizi` for `Area servizi sociali`), else the nearest by edit
    /// distance; the first in file order among equals.
    fn closest(&self, name: &str) -> Option<&Post> {
        let name = name.to_lowercase();
        let lower: Vec<String> = self.posts.iter().map(|p| p.name.to_lowercase()).collect();
        let held = |k: &usize| lower[*k].contains(&name) || name.contains(&lower[*k]);
        let k = (0..lower.len())
            .find(held)
            .or_else(|| (0..lower.len()).min_by_key(|&k| edit_distance(&name, &lower[k])))?;
        Some(&self.posts[k])
    }

    /// Each manager's post is a post of the chart, with the same position pay and, when
    /// both give them, the same grading points.
    fn check_managers(&self, managers: &[Manager]) -> Diagnostics {
        let mut diags = Diagnostics::default();
        for m in managers {
            let Some(post) = self.post(&m.post, (&m.origin, "incarico"), &mut diags) else {
                continue;
            };
            let column = "retribuzione_posizione";
            if let Some(d) = same_pay(post, m.yearly_position_pay, &m.origin, column) {
                diags.push(d);
            }
            if let (Some(a), Some(b)) = (m.grading_points, post.grading_points) {
                if a != b {
                    diags.push(Diagnostic::error(
                        at(&m.origin, "punti_pesatura"),
                        format!(
                            "punti_pesatura {} diversi da quelli del posto \"{}\" in {POSTS_FILE} ({}, riga {}): scrivere gli stessi punti nei due file, o lasciare vuota la cella in {MANAGERS_FILE}",
                            format_it(a.normalize(), 0),
                            post.name,
                            format_it(b.normalize(), 0),
                            post.origin.line
                        ),
                    ));
                }
            }
        }
        diags
    }

    /// A manager whose row leaves `punti_pesatura` empty has the grading points of the post
    /// it holds, as the chart gives them (the messages above say to leave the cell empty).
    fn fill_points(&self, managers: &mut [Manager]) {
        for m in managers.iter_mut().filter(|m| m.grading_points.is_none()) {
            if let Some(&k) = self.index.get(&*m.post) {
                m.grading_points = self.posts[k].grading_points;
            }
        }
    }

    /// Each interim's covered post is a post of the chart, with the same position pay.
    fn check_interims(&self, staff: &Staff) -> Diagnostics {
        let mut diags = Diagnostics::default();
        for i in &staff.interims {
            let Some(post) =
                self.post(&i.covered_post, (&i.origin, "incarico_coperto"), &mut diags)
            else {
                continue;
            };
            let column = "retribuzione_posizione_incarico";
            if let Some(d) = same_pay(post, i.covered_position_pay, &i.origin, column) {
                diags.push(d);
            }
        }
        diags
    }
}

/// A row's position pay equals its post's: else an error giving both figures.
fn same_pay(post: &Post, pay: Money, origin: &Origin, column: &str) -> Option<Diagnostic> {
    (pay != post.yearly_position_pay).then(|| {
        Diagnostic::error(
            at(origin, column),
            format!(
                "{column} {pay} diversa da quella del posto \"{}\" in {POSTS_FILE} ({}, riga {}): scrivere la stessa retribuzione di posizione annua nei due file",
                post.name, post.yearly_position_pay, post.origin.line
            ),
        )
    })
}

/// The holders of one post (rows of `dirigenti.csv` with the same `incarico`) do not
/// overlap: all dated, no two periods share a day (the error at the later row); otherwise
/// their service under the rules' count adds up to at most the year (the error at the row
/// that passes it).
fn check_holders(managers: &[Manager], year: i32, how: ServiceFraction) -> Diagnostics {
    let mut by_post: FxHashMap<&str, Vec<&Manager>> = FxHashMap::default();
    for m in managers {
        by_post.entry(&m.post).or_default().push(m);
    }
    let mut groups: Vec<Vec<&Manager>> = by_post.into_values().filter(|g| g.len() > 1).collect();
    // In file order, so that the errors come as the rows do.
    groups.sort_by_key(|g| g[0].origin.line);
    let mut diags = Diagnostics::default();
    for holders in groups {
        let dated: Option<Vec<(NaiveDate, NaiveDate)>> =
            holders.iter().map(|m| Some((m.start?, m.end?))).collect();
        match dated {
            Some(periods) => diags.extend(overlapping(&holders, &periods)),
            None => {
                if let Some(d) = beyond_year(&holders, year, how) {
                    diags.push(d);
                }
            }
        }
    }
    diags
}

/// Each dated holder's period against the earlier rows' of the same post: the first one it
/// shares a day with is an error at the later row.
fn overlapping(holders: &[&Manager], periods: &[(NaiveDate, NaiveDate)]) -> Diagnostics {
    let mut diags = Diagnostics::default();
    for (k, m) in holders.iter().enumerate() {
        let (s, e) = periods[k];
        let earlier = (0..k).find(|&j| periods[j].0 <= e && s <= periods[j].1);
        if let Some(j) = earlier {
            let (o, (os, oe)) = (holders[j], periods[j]);
            diags.push(Diagnostic::error(
                at(&m.origin, "inizio"),
                format!(
                    "il posto \"{}\" è già di \"{}\" dal {} al {} (riga {}): questa riga, dal {} al {}, si sovrappone; i titolari di un posto non possono sovrapporsi: correggere le date, o indicare in {INTERIM_FILE} la copertura ad interim",
                    m.post,
                    o.matricola,
                    date_it(os),
                    date_it(oe),
                    o.origin.line,
                    date_it(s),
                    date_it(e)
                ),
            ));
        }
    }
    diags
}

/// The holders' service under the rules' count, added in file order: the row that takes it
/// past the year is an error.
fn beyond_year(holders: &[&Manager], year: i32, how: ServiceFraction) -> Option<Diagnostic> {
    let mut total = 0i64;
    for m in holders {
        let Ok(s) = served(m.start, m.end, m.days, year, how) else {
            continue;
        };
        total += s.units;
        if total > s.per_year {
            return Some(Diagnostic::error(
                at(&m.origin, if m.days.is_some() { "giorni" } else { "inizio" }),
                format!(
                    "i titolari del posto \"{}\" fino a questa riga coprono {total} giorni, più dei {} dell'anno con servizio = \"{}\": i titolari di un posto non possono sovrapporsi; correggere i giorni, o indicare in {INTERIM_FILE} la copertura ad interim",
                    m.post,
                    s.per_year,
                    how.key()
                ),
            ));
        }
    }
    None
}

/// A result-based interim is paid from the quota its post's holders did not take: it may not
/// cover its post while a holder holds it. Dated rows: no day in common (the error at the
/// interim row); otherwise, where the holders and the interim are counted in the same unit,
/// their service added is at most the year.
fn check_interim_cover(staff: &Staff, year: i32, how: ServiceFraction) -> Diagnostics {
    let mut diags = Diagnostics::default();
    for i in &staff.interims {
        let holders: Vec<&Manager> = staff
            .managers
            .iter()
            .filter(|m| *m.post == *i.covered_post)
            .collect();
        if let Some(d) = interim_overlap(i, &holders, year, how) {
            diags.push(d);
        }
    }
    diags
}

/// The first holder whose period shares a day with the interim's, or the holders' and the
/// interim's service together past the year: an error at the interim row.
fn interim_overlap(
    i: &Interim,
    holders: &[&Manager],
    year: i32,
    how: ServiceFraction,
) -> Option<Diagnostic> {
    let why = "un interim sulla quota di risultato ([interim] base = \"risultato\") si paga con la quota che i titolari del posto non hanno preso, e non può coprire il posto mentre un titolare lo tiene: correggere le date, o scrivere base = \"posizione\"";
    if let (Some(s), Some(e)) = (i.start, i.end) {
        let dated = holders.iter().filter_map(|m| Some((m, m.start?, m.end?)));
        for (m, ms, me) in dated {
            if ms <= e && s <= me {
                return Some(Diagnostic::error(
                    at(&i.origin, "inizio"),
                    format!(
                        "l'interim su \"{}\" dal {} al {} si sovrappone al titolare \"{}\" ({}, riga {}: dal {} al {}); {why}",
                        i.covered_post, date_it(s), date_it(e), m.matricola, MANAGERS_FILE,
                        m.origin.line, date_it(ms), date_it(me)
                    ),
                ));
            }
        }
        if holders.iter().all(|m| m.start.is_some()) {
            return None;
        }
    }
    let own = served(i.start, i.end, i.days, year, interim_fraction(how)).ok()?;
    let mut total = own.units;
    for m in holders {
        let held = served(m.start, m.end, m.days, year, how).ok()?;
        if held.per_year != own.per_year {
            return None;
        }
        total += held.units;
    }
    (total > own.per_year).then(|| {
        Diagnostic::error(
            at(&i.origin, if i.days.is_some() { "giorni" } else { "inizio" }),
            format!(
                "l'interim su \"{}\" e i titolari del posto coprono insieme {total} giorni, più dei {} dell'anno; {why}",
                i.covered_post, own.per_year
            ),
        )
    })
}

/// A need of the rules on the posts' cells: the column, why, and which posts.
struct Need {
    column: usize,
    why: String,
    /// Each post that needs the cell, with the interim row that covers it (if that is why).
    posts: Vec<(usize, Option<usize>)>,
}

impl Chart<'_> {
    /// The cells the rules need: `punti_pesatura` of every post when the chart's quota is
    /// weighted by the grading points; of every covered post when a result-based interim's
    /// quota comes from them; `punteggio` of every covered post when the structure scores
    /// the interim. A missing cell is an error at the post's row (once per cell).
    fn check_needs(
        &self,
        table: &Table,
        rows: &[&Row],
        staff: &Staff,
        rules: &Rules,
    ) -> Diagnostics {
        let mut diags = Diagnostics::default();
        let mut reported: Vec<(usize, usize)> = Vec::new();
        for need in self.needs(staff, rules) {
            for (k, interim) in need.posts {
                let post = &self.posts[k];
                let missing = match need.column {
                    P_PUNTI => post.grading_points.is_none(),
                    _ => post.score.is_none(),
                };
                if !missing || reported.contains(&(k, need.column)) {
                    continue;
                }
                reported.push((k, need.column));
                let name = table.columns[need.column].name;
                let covered = interim.map_or(String::new(), |line| {
                    format!(", coperto ad interim alla riga {line} di {INTERIM_FILE}")
                });
                diags.push(Diagnostic::error(
                    table.loc(rows[k], need.column),
                    format!(
                        "manca {name} del posto \"{}\"{covered}: {}; indicare il valore in questa riga",
                        post.name, need.why
                    ),
                ));
            }
        }
        diags
    }

    /// What the rules need of the posts' cells.
    fn needs(&self, staff: &Staff, rules: &Rules) -> Vec<Need> {
        let pay = &rules.pay;
        let mut needs = Vec::new();
        if pay.theoretical_quota == QuotaPosts::OrgChart && pay.base == BaseWeight::GradingPoints {
            needs.push(Need {
                column: P_PUNTI,
                why: "con quota_teorica = \"organigramma\" e base = \"punti_pesatura\" la quota di ogni posto si pesa sui suoi punti".to_string(),
                posts: (0..self.posts.len()).map(|k| (k, None)).collect(),
            });
        }
        let covered: Vec<(usize, Option<usize>)> = staff
            .interims
            .iter()
            .filter_map(|i| Some((*self.index.get(&*i.covered_post)?, Some(i.origin.line))))
            .collect();
        let by_points = matches!(
            pay.quota,
            ResultQuota::PointValue(_) | ResultQuota::BandAmount(_)
        );
        if pay.interim_base == InterimBase::ResultQuota && by_points {
            needs.push(Need {
                column: P_PUNTI,
                why: format!("con [interim] base = \"risultato\" e quota = \"{}\" la quota del posto coperto si calcola dai suoi punti di pesatura", pay.quota.key()),
                posts: covered.clone(),
            });
        }
        if pay.interim_score == InterimScore::Structure {
            needs.push(Need {
                column: P_PUNTEGGIO,
                why: "con [interim] punteggio = \"struttura\" l'interim si valuta col punteggio della struttura coperta, dato dal Nucleo di Valutazione".to_string(),
                posts: covered,
            });
        }
        needs
    }
}

/// Without `posti.csv`, each key of the rules that needs it is an error at its line saying
/// to add the file.
pub fn missing_chart(rules: &Rules) -> Diagnostics {
    let mut diags = Diagnostics::default();
    for (written, location) in &rules.posts_keys {
        diags.push(Diagnostic::error(
            location.clone(),
            format!(
                "{written} richiede l'organigramma, ma la cartella dei dati non ha {POSTS_FILE}: aggiungere {POSTS_HELP}; oppure togliere la chiave"
            ),
        ));
    }
    diags
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manager(
        line: usize,
        post: &str,
        period: (Option<&str>, Option<&str>, Option<i64>),
    ) -> Manager {
        let date = |d: Option<&str>| d.map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap());
        Manager {
            matricola: format!("M{line}").into(),
            name: "Nome".into(),
            post: post.into(),
            yearly_position_pay: Money::from_cents(3_000_000),
            grading_points: None,
            start: date(period.0),
            end: date(period.1),
            days: period.2,
            ente_share: None,
            origin: Origin {
                file: "dirigenti.csv".into(),
                line,
            },
        }
    }

    /// The lines of the errors, in order.
    fn lines(d: &Diagnostics) -> Vec<usize> {
        d.list.iter().map(|d| d.location.line).collect()
    }

    #[test]
    fn holders_by_days_may_fill_the_year_but_not_pass_it() {
        let how = ServiceFraction::CalendarDays;
        let full = [
            manager(2, "A", (None, None, Some(200))),
            manager(3, "B", (None, None, Some(300))),
            manager(4, "A", (None, None, Some(165))),
        ];
        assert!(check_holders(&full, 2022, how).is_empty());
        let over = [
            manager(2, "A", (None, None, Some(200))),
            manager(3, "A", (None, None, Some(166))),
            manager(4, "A", (None, None, Some(0))),
        ];
        assert_eq!(lines(&check_holders(&over, 2022, how)), [3]);
        // Under giorni_360 the year is 360 commercial days.
        let commercial = [
            manager(2, "A", (None, None, Some(180))),
            manager(3, "A", (None, None, Some(181))),
        ];
        assert_eq!(
            lines(&check_holders(
                &commercial,
                2022,
                ServiceFraction::Commercial360
            )),
            [3]
        );
    }

    #[test]
    fn dated_holders_may_follow_each_other_but_not_share_a_day() {
        let how = ServiceFraction::CalendarDays;
        let following = [
            manager(2, "A", (Some("2022-07-01"), Some("2022-12-31"), None)),
            manager(3, "A", (Some("2022-01-01"), Some("2022-06-30"), None)),
        ];
        assert!(check_holders(&following, 2022, how).is_empty());
        let sharing = [
            manager(2, "A", (Some("2022-01-01"), Some("2022-06-30"), None)),
            manager(3, "B", (Some("2022-01-01"), Some("2022-12-31"), None)),
            manager(4, "A", (Some("2022-06-30"), Some("2022-12-31"), None)),
        ];
        assert_eq!(lines(&check_holders(&sharing, 2022, how)), [4]);
    }

    #[test]
    fn the_closest_post_holds_the_name_or_is_nearest() {
        let post = |name: &str, line| Post {
            name: name.into(),
            yearly_position_pay: Money::ZERO,
            grading_points: None,
            score: None,
            origin: Origin {
                file: "posti.csv".into(),
                line,
            },
        };
        let posts = [post("Area tecnica", 2), post("Area servizi sociali", 3)];
        let chart = Chart {
            posts: &posts,
            index: FxHashMap::default(),
        };
        let closest = |name: &str| chart.closest(name).map(|p| p.origin.line);
        assert_eq!(closest("area servizi"), Some(3));
        assert_eq!(closest("Area tecnca"), Some(2));
    }
}
