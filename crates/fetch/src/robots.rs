//! robots.txt as RFC 9309 reads it: the group naming our agent (or `*`),
//! `Allow` and `Disallow` path prefixes (`*` and a final `$` understood),
//! the longest matching rule winning, `Allow` on a tie.

/// One group of a robots.txt: its user agents and its (allow, pattern) rules.
type Group = (Vec<String>, Vec<(bool, String)>);

/// The rules of one group.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Robots {
    /// (allow, pattern).
    rules: Vec<(bool, String)>,
}

impl Robots {
    /// The rules of `text` that apply to `agent` (its own group, else `*`).
    pub fn parse(text: &str, agent: &str) -> Robots {
        let agent = agent.to_ascii_lowercase();
        let mut groups: Vec<Group> = Vec::new();
        let mut in_agents = false;
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            let Some((key, value)) = line.split_once(':') else { continue };
            let (key, value) = (key.trim().to_ascii_lowercase(), value.trim().to_string());
            match key.as_str() {
                "user-agent" => {
                    if !in_agents {
                        groups.push((Vec::new(), Vec::new()));
                        in_agents = true;
                    }
                    if let Some(g) = groups.last_mut() {
                        g.0.push(value.to_ascii_lowercase());
                    }
                }
                "allow" | "disallow" => {
                    in_agents = false;
                    if let Some(g) = groups.last_mut() {
                        // An empty Disallow allows everything: no rule.
                        if !value.is_empty() {
                            g.1.push((key == "allow", value));
                        }
                    }
                }
                _ => in_agents = false,
            }
        }
        let own: Vec<(bool, String)> = groups
            .iter()
            .filter(|g| g.0.iter().any(|a| agent.contains(a.as_str()) && a != "*"))
            .flat_map(|g| g.1.clone())
            .collect();
        let rules = if own.is_empty() {
            groups.iter().filter(|g| g.0.iter().any(|a| a == "*")).flat_map(|g| g.1.clone()).collect()
        } else {
            own
        };
        Robots { rules }
    }

    /// Whether a path may be fetched.
    pub fn allows(&self, path: &str) -> bool {
        let mut best: Option<(usize, bool)> = None;
        for (allow, pattern) in &self.rules {
            if matches(pattern, path) {
                let len = pattern.len();
                best = match best {
                    Some((l, a)) if l > len || (l == len && a) => Some((l, a)),
                    _ => Some((len, *allow)),
                };
            }
        }
        best.is_none_or(|(_, allow)| allow)
    }
}

/// A robots.txt pattern against a path: a prefix, `*` for any run, `$` at
/// the end for the end of the path.
fn matches(pattern: &str, path: &str) -> bool {
    let (pattern, anchored) = match pattern.strip_suffix('$') {
        Some(p) => (p, true),
        None => (pattern, false),
    };
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return if anchored { path == pattern } else { path.starts_with(pattern) };
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !path.starts_with(first) {
        return false;
    }
    let mut at = first.len();
    let end = if anchored {
        if path.len() < at + last.len() || !path.ends_with(last) {
            return false;
        }
        path.len() - last.len()
    } else {
        path.len()
    };
    for part in &parts[1..parts.len() - 1] {
        match path[at..end].find(part) {
            Some(found) => at += found + part.len(),
            None => return false,
        }
    }
    if anchored {
        at <= end
    } else {
        path[at..].contains(last)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_own_group_wins_over_the_star_group() {
        let text = "User-agent: *\nDisallow: /\n\nUser-agent: storyline\nDisallow: /private/\nAllow: /private/open\n";
        let r = Robots::parse(text, "storyline");
        assert!(r.allows("/news/a.html"));
        assert!(!r.allows("/private/b.html"));
        assert!(r.allows("/private/open/c.html"));
        let other = Robots::parse(text, "somebot");
        assert!(!other.allows("/news/a.html"));
    }

    #[test]
    fn patterns_and_empty_rules() {
        let r = Robots::parse("User-agent: *\nDisallow: /*.pdf$\nDisallow:\n", "storyline");
        assert!(!r.allows("/files/x.pdf"));
        assert!(!r.allows("/a.pdf.pdf"));
        assert!(r.allows("/files/x.pdf.html"));
        assert!(r.allows("/anything"));
        assert!(Robots::parse("", "storyline").allows("/x"));
    }
}
