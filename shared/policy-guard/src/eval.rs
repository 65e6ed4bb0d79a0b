//! Condition evaluation: IAM's condition operators, three-valued (a key the request does not
//! give is unknown, never silently met or missed). Requests are decided by
//! [`crate::authorize`], the one evaluator; what a document grants as a whole is
//! [`crate::analysis`].

pub(crate) mod conditions;
