//! Enumerations as WeChat sends them: upper-case strings. Each one is a Rust
//! enum of the documented values plus `Other(String)`, so a value WeChat
//! adds later still parses (and round-trips) instead of failing the call.

/// Declares a wire enumeration: `Name { Variant = "WIRE", … }`.
macro_rules! wire_enum {
    (
        $(#[doc = $doc:literal])*
        $name:ident {
            $( $(#[doc = $vdoc:literal])* $variant:ident = $wire:literal, )+
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[doc = $vdoc])* $variant, )+
            /// A value this SDK does not know, kept exactly as sent.
            Other(String),
        }

        impl $name {
            /// The wire string.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )+
                    Self::Other(s) => s,
                }
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $( $wire => Self::$variant, )+
                    other => Self::Other(other.to_owned()),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <String as serde::Deserialize>::deserialize(d)?;
                Ok(Self::from(s.as_str()))
            }
        }
    };
}

pub(crate) use wire_enum;
