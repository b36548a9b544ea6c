//! `id_type!` and `text_enum!`: typed ids and enums with one mapping each — serde, the
//! OpenAPI schema (feature `schema`) and the database column (feature `diesel`) all come from
//! one declaration, so the server, the SPA and the database cannot disagree.
//!
//! Both are exported so that the server declares its internal ids and enums the same way.
//! Whether the schema and diesel impls are emitted is decided by *this* crate's features,
//! through the `__*` helper macros defined twice under `cfg` below: a `#[cfg(feature = …)]`
//! written inside an exported macro's body would be checked against the features of the
//! crate that invokes it instead. The invoking crate needs `serde` (and, with the features,
//! `utoipa` and `diesel`) as direct dependencies.

/// Declares typed ids (`pub struct AccountId(pub i64);`), so that ids of different tables
/// never mix: transparent serde (`42`), `Display`/`FromStr` as the integer, conversions from
/// and to `i64`, and a `BIGINT` column mapping usable in models, filters, `find` and
/// `returning`.
#[macro_export]
macro_rules! id_type {
    ($($(#[$meta:meta])* $vis:vis struct $name:ident;)+) => {$(
        $crate::__id_derives! {
            $(#[$meta])*
            #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
            #[derive(serde::Serialize, serde::Deserialize)]
            #[serde(transparent)]
            $vis struct $name(pub i64);
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Display::fmt(&self.0, f)
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = ::core::num::ParseIntError;
            fn from_str(s: &str) -> ::core::result::Result<Self, Self::Err> {
                s.parse::<i64>().map(Self)
            }
        }

        impl ::core::convert::From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }

        $crate::__diesel_id_impls!($name);
    )+};
}

/// Declares a fieldless enum stored as TEXT and serialized as the same string:
///
/// ```ignore
/// text_enum! { pub enum Role { Staff = "staff", UserAdmin = "user_admin" } }
/// ```
/// gives `as_str()`, `ALL`, `Display`, `FromStr` (unknown text is an error, never a silent
/// default), serde as the string, the OpenAPI `enum`, and a TEXT column mapping: an unknown
/// stored value fails the load with a deserialization error naming the value.
#[macro_export]
macro_rules! text_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)?
        }
    ) => {
        $crate::__text_derives! {
            $(#[$meta])*
            #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
            #[derive(serde::Serialize, serde::Deserialize)]
            $vis enum $name {
                $($(#[$vmeta])* #[serde(rename = $text)] $variant,)+
            }
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The stored and serialized text.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)+
                }
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = $crate::UnknownVariant;
            fn from_str(s: &str) -> ::core::result::Result<Self, Self::Err> {
                match s {
                    $($text => Ok(Self::$variant),)+
                    _ => Err($crate::UnknownVariant {
                        type_name: stringify!($name),
                        value: s.into(),
                    }),
                }
            }
        }

        $crate::__diesel_text_impls!($name);
        $crate::__schema_text_impls!($name, [$($text),+]);
    };
}

/// The `FromStr` error of a [`text_enum!`] type (also what a failed database load carries).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownVariant {
    pub type_name: &'static str,
    pub value: String,
}

impl core::fmt::Display for UnknownVariant {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "unknown {} value {:?}", self.type_name, self.value)
    }
}

impl std::error::Error for UnknownVariant {}

// ---- derives, selected by this crate's features ---------------------------------------

#[cfg(all(feature = "diesel", feature = "schema"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __id_derives {
    ($($item:tt)*) => {
        #[derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow, utoipa::ToSchema)]
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        $($item)*
    };
}

#[cfg(all(feature = "diesel", not(feature = "schema")))]
#[doc(hidden)]
#[macro_export]
macro_rules! __id_derives {
    ($($item:tt)*) => {
        #[derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow)]
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        $($item)*
    };
}

#[cfg(all(not(feature = "diesel"), feature = "schema"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __id_derives {
    ($($item:tt)*) => {
        #[derive(utoipa::ToSchema)]
        $($item)*
    };
}

#[cfg(all(not(feature = "diesel"), not(feature = "schema")))]
#[doc(hidden)]
#[macro_export]
macro_rules! __id_derives {
    ($($item:tt)*) => {
        $($item)*
    };
}

#[cfg(feature = "diesel")]
#[doc(hidden)]
#[macro_export]
macro_rules! __text_derives {
    ($($item:tt)*) => {
        #[derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow)]
        #[diesel(sql_type = diesel::sql_types::Text)]
        $($item)*
    };
}

#[cfg(not(feature = "diesel"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __text_derives {
    ($($item:tt)*) => {
        $($item)*
    };
}

/// The OpenAPI schema of a text enum, written from the same strings serde and the database
/// use (utoipa's derive does not see a `rename` whose literal comes through a macro, and
/// would publish the variant names).
#[cfg(feature = "schema")]
#[doc(hidden)]
#[macro_export]
macro_rules! __schema_text_impls {
    ($name:ident, [$($text:literal),+]) => {
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($text),+]))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {
            fn name() -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed(stringify!($name))
            }
        }
    };
}

#[cfg(not(feature = "schema"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __schema_text_impls {
    ($name:ident, [$($text:literal),+]) => {};
}

#[cfg(feature = "diesel")]
#[doc(hidden)]
#[macro_export]
macro_rules! __diesel_id_impls {
    ($name:ident) => {
        impl<DB> diesel::serialize::ToSql<diesel::sql_types::BigInt, DB> for $name
        where
            DB: diesel::backend::Backend,
            i64: diesel::serialize::ToSql<diesel::sql_types::BigInt, DB>,
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, DB>,
            ) -> diesel::serialize::Result {
                <i64 as diesel::serialize::ToSql<diesel::sql_types::BigInt, DB>>::to_sql(&self.0, out)
            }
        }

        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::BigInt, DB> for $name
        where
            DB: diesel::backend::Backend,
            i64: diesel::deserialize::FromSql<diesel::sql_types::BigInt, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                <i64 as diesel::deserialize::FromSql<diesel::sql_types::BigInt, DB>>::from_sql(bytes)
                    .map(Self)
            }
        }
    };
}

#[cfg(not(feature = "diesel"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __diesel_id_impls {
    ($name:ident) => {};
}

#[cfg(feature = "diesel")]
#[doc(hidden)]
#[macro_export]
macro_rules! __diesel_text_impls {
    ($name:ident) => {
        impl<DB> diesel::serialize::ToSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, DB>,
            ) -> diesel::serialize::Result {
                <str as diesel::serialize::ToSql<diesel::sql_types::Text, DB>>::to_sql(self.as_str(), out)
            }
        }

        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                let text =
                    <String as diesel::deserialize::FromSql<diesel::sql_types::Text, DB>>::from_sql(bytes)?;
                text.parse::<Self>().map_err(Into::into)
            }
        }
    };
}

#[cfg(not(feature = "diesel"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __diesel_text_impls {
    ($name:ident) => {};
}

#[cfg(test)]
mod tests {
    crate::text_enum! {
        enum Colour { Red = "red", DarkBlue = "dark_blue" }
    }
    crate::id_type! {
        struct ThingId;
    }

    #[test]
    fn text_enums_round_trip_through_text_and_json() {
        assert_eq!(Colour::DarkBlue.as_str(), "dark_blue");
        assert_eq!("red".parse::<Colour>(), Ok(Colour::Red));
        let unknown = "green".parse::<Colour>().expect_err("unknown");
        assert!(unknown.to_string().contains("green"));
        assert_eq!(
            serde_json::to_string(&Colour::DarkBlue).ok().as_deref(),
            Some("\"dark_blue\"")
        );
        assert_eq!(Colour::ALL.len(), 2);
    }

    #[test]
    fn ids_are_plain_integers_on_the_wire() {
        assert_eq!(serde_json::to_string(&ThingId(42)).ok().as_deref(), Some("42"));
        assert_eq!("7".parse::<ThingId>(), Ok(ThingId(7)));
        assert_eq!(i64::from(ThingId(3)), 3);
    }
}
