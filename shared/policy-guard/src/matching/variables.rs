//! IAM policy variables in resource patterns: `${aws:username}`, `${aws:PrincipalTag/team}`,
//! `${aws:userid, 'none'}`, and the escapes `${*}`, `${?}`, `${$}`.
//!
//! AWS replaces a variable with the value of the request context key it names (or with its
//! default, the quoted text after a comma, when the key is absent); the three escapes stand for
//! the literal characters `*`, `?` and `$`. Some keys name the caller itself: a resource
//! built from them, such as `arn:aws:iam::111122223333:user/${aws:username}`, is the
//! principal's own user, whoever the principal is. See AWS's "IAM policy elements: Variables
//! and tags" (`reference_policies_variables`).

/// One `${...}` occurrence in a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variable<'a> {
    /// The whole `${...}` text.
    pub text: &'a str,
    pub kind: VariableKind<'a>,
}

/// What a variable stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VariableKind<'a> {
    /// `${*}`, `${?}`, `${$}`: the literal character.
    Escape(char),
    /// A context key (`aws:username`), with its default value when one is given.
    Key {
        key: &'a str,
        default: Option<&'a str>,
    },
}

impl VariableKind<'_> {
    /// Whether the value identifies the caller itself: `aws:username`, `aws:userid`,
    /// `aws:PrincipalArn`, `aws:SourceIdentity` and the caller's tags `aws:PrincipalTag/<key>`.
    /// Keys about the request, the resource or the caller's account (`aws:PrincipalAccount`,
    /// `aws:RequestTag/...`, `s3:prefix`, ...) do not.
    pub fn names_the_principal(&self) -> bool {
        let VariableKind::Key { key, .. } = self else {
            return false;
        };
        const SELF_KEYS: &[&str] = &[
            "aws:username",
            "aws:userid",
            "aws:principalarn",
            "aws:sourceidentity",
        ];
        SELF_KEYS.iter().any(|k| k.eq_ignore_ascii_case(key))
            || key
                .get(..17)
                .is_some_and(|p| p.eq_ignore_ascii_case("aws:principaltag/"))
    }
}

/// Every `${...}` in `text`, in order. An unclosed `${` is text, not a variable.
pub fn variables(text: &str) -> Vec<Variable<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    let mut offset = 0;
    while let Some(start) = rest.find("${") {
        let Some(after) = rest.get(start + 2..) else {
            break;
        };
        let Some(len) = after.find('}') else {
            break;
        };
        let (Some(inner), Some(whole)) = (after.get(..len), rest.get(start..start + len + 3))
        else {
            break;
        };
        out.push(Variable {
            text: whole,
            kind: kind_of(inner),
        });
        offset += start + len + 3;
        rest = text.get(offset..).unwrap_or_default();
    }
    out
}

fn kind_of(inner: &str) -> VariableKind<'_> {
    match inner {
        "*" => return VariableKind::Escape('*'),
        "?" => return VariableKind::Escape('?'),
        "$" => return VariableKind::Escape('$'),
        _ => {}
    }
    match inner.split_once(',') {
        Some((key, default)) => {
            let default = default.trim();
            let default = default
                .strip_prefix('\'')
                .and_then(|d| d.strip_suffix('\''))
                .unwrap_or(default);
            VariableKind::Key {
                key: key.trim(),
                default: Some(default),
            }
        }
        None => VariableKind::Key {
            key: inner.trim(),
            default: None,
        },
    }
}

/// Whether any variable of `pattern` identifies the caller: the pattern names the principal's
/// own user, role, group or policy (`user/${aws:username}`, `user/*/${aws:username}`,
/// `role/${aws:PrincipalTag/team}-*`), not a fixed resource.
pub fn names_the_principal(pattern: &str) -> bool {
    pattern.contains("${")
        && variables(pattern)
            .iter()
            .any(|v| v.kind.names_the_principal())
}

/// `pattern` with every context-key variable widened to `*` (it can be any value) and every
/// escape replaced by its character: what the pattern can match, for comparing it with
/// resource formats.
pub fn widened(pattern: &str) -> String {
    if !pattern.contains("${") {
        return pattern.to_string();
    }
    let mut out = String::with_capacity(pattern.len());
    let mut rest = pattern;
    for variable in variables(pattern) {
        let Some(at) = rest.find(variable.text) else {
            break;
        };
        out.push_str(rest.get(..at).unwrap_or_default());
        match variable.kind {
            VariableKind::Escape(c) => out.push(c),
            VariableKind::Key { .. } => out.push('*'),
        }
        rest = rest.get(at + variable.text.len()..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_variables_defaults_and_escapes() {
        let vs = variables("arn:aws:s3:::b/${aws:username}/${*}/${aws:PrincipalTag/team, 'none'}");
        assert_eq!(vs.len(), 3);
        assert_eq!(vs[0].text, "${aws:username}");
        assert_eq!(
            vs[0].kind,
            VariableKind::Key {
                key: "aws:username",
                default: None
            }
        );
        assert_eq!(vs[1].kind, VariableKind::Escape('*'));
        assert_eq!(
            vs[2].kind,
            VariableKind::Key {
                key: "aws:PrincipalTag/team",
                default: Some("none")
            }
        );
        assert!(variables("arn:aws:s3:::b/${unclosed").is_empty());
        assert!(variables("arn:aws:s3:::plain").is_empty());
    }

    #[test]
    fn identity_keys_name_the_principal() {
        for yes in [
            "arn:aws:iam::111122223333:user/${aws:username}",
            "arn:aws:iam::111122223333:user/*/${aws:username}",
            "arn:aws:iam::111122223333:user/${AWS:UserName}",
            "arn:aws:iam::111122223333:role/${aws:PrincipalTag/team}-*",
            "arn:aws:iam::111122223333:user/${aws:userid}",
            "arn:aws:iam::111122223333:role/${aws:SourceIdentity}",
            "arn:aws:iam::111122223333:policy/${aws:username}-*",
        ] {
            assert!(names_the_principal(yes), "{yes}");
        }
        for no in [
            "arn:aws:iam::111122223333:user/alice",
            "arn:aws:iam::111122223333:user/*",
            "arn:aws:iam::${aws:PrincipalAccount}:role/*",
            "arn:aws:iam::111122223333:role/${aws:RequestTag/team}",
            "arn:aws:iam::111122223333:user/${*}",
            "arn:aws:s3:::bucket/${s3:prefix}",
        ] {
            assert!(!names_the_principal(no), "{no}");
        }
    }

    #[test]
    fn widening_replaces_keys_with_stars_and_escapes_with_characters() {
        assert_eq!(
            widened("arn:aws:iam::111122223333:user/${aws:username}"),
            "arn:aws:iam::111122223333:user/*"
        );
        assert_eq!(
            widened("arn:aws:iam::1:role/${aws:PrincipalTag/team}-${$}x${?}"),
            "arn:aws:iam::1:role/*-$x?"
        );
        assert_eq!(widened("arn:aws:s3:::plain"), "arn:aws:s3:::plain");
    }
}
