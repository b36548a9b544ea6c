//! The product support catalog (SPEC §5, seed 004 §④ 製品サポート情報): makers → product
//! series → a page per series of downloads, documents, standard shipping versions and
//! end-of-support dates. Staff maintain it ([`routes`]). A customer sees a series when a
//! contract it sees covers equipment whose model starts with one of the series' model
//! prefixes: model numbers, not maker names, decide, because contracts spell makers in many
//! ways ("Juniper", "Juniper Networks") while a model number is what the certificate says.

mod routes;

use std::collections::HashSet;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
pub use madoguchi_types::ids::{MakerId, ProductEntryId, SeriesId};
pub use madoguchi_types::products::EntryKind;

use crate::contracts::ContractStatus;
use crate::db::DbConn;
use crate::policy::Scope;
use crate::schema::{contract_equipment, contracts, product_entries, product_series_models};

pub use routes::routes;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = product_entries)]
pub struct Entry {
    pub id: ProductEntryId,
    pub series_id: SeriesId,
    pub kind: EntryKind,
    pub title: String,
    pub version: String,
    pub note: String,
    pub published_on: Option<NaiveDate>,
    pub eoe_on: Option<NaiveDate>,
    pub eol_on: Option<NaiveDate>,
    pub link_url: Option<String>,
    pub file_name: Option<String>,
    pub size_bytes: Option<i64>,
    pub sha256: Option<String>,
    pub storage_key: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = product_entries)]
pub struct NewEntry {
    pub series_id: SeriesId,
    pub kind: EntryKind,
    pub title: String,
    pub version: String,
    pub note: String,
    pub published_on: Option<NaiveDate>,
    pub eoe_on: Option<NaiveDate>,
    pub eol_on: Option<NaiveDate>,
    pub link_url: Option<String>,
    pub file_name: Option<String>,
    pub size_bytes: Option<i64>,
    pub sha256: Option<String>,
    pub storage_key: Option<String>,
    pub created_at: NaiveDateTime,
}

/// The series a scope shows; `None` for staff, who see every series. The catalog is small
/// (hundreds of series) and so are an organization's distinct models: matching prefixes
/// here keeps the rule the same on both backends.
pub fn visible_series(conn: &mut DbConn, scope: Scope) -> QueryResult<Option<HashSet<SeriesId>>> {
    if scope == Scope::AllOrganizations {
        return Ok(None);
    }
    let query = contracts::table
        .filter(contracts::status.ne(ContractStatus::Cancelled))
        .select(contracts::id)
        .into_boxed();
    let contract_ids: Vec<crate::contracts::ContractId> =
        crate::scoped_contracts!(query, contracts::id, contracts::organization_id, scope).load(conn)?;
    let models: Vec<String> = contract_equipment::table
        .filter(contract_equipment::contract_id.eq_any(&contract_ids))
        .select(contract_equipment::model)
        .distinct()
        .load::<String>(conn)?
        .into_iter()
        .map(|model| model.to_lowercase())
        .collect();
    let prefixes: Vec<(SeriesId, String)> = product_series_models::table
        .select((
            product_series_models::series_id,
            product_series_models::model_prefix,
        ))
        .load(conn)?;
    Ok(Some(
        prefixes
            .into_iter()
            .filter(|(_, prefix)| covers(prefix, &models))
            .map(|(series, _)| series)
            .collect(),
    ))
}

/// Whether a model prefix covers one of the (lower-cased) models.
fn covers(prefix: &str, models: &[String]) -> bool {
    let prefix = prefix.to_lowercase();
    models.iter().any(|model| model.starts_with(&prefix))
}

/// Whether the scope shows the series.
pub fn shows(conn: &mut DbConn, scope: Scope, series: SeriesId) -> QueryResult<bool> {
    Ok(visible_series(conn, scope)?.is_none_or(|visible| visible.contains(&series)))
}

#[cfg(test)]
mod tests {
    use super::covers;

    #[test]
    fn prefixes_cover_models_case_insensitively() {
        let models = vec!["ex4300-48t".to_owned(), "srx345".to_owned()];
        assert!(covers("EX", &models));
        assert!(covers("EX4300", &models));
        assert!(covers("srx", &models));
        assert!(!covers("EX2300", &models));
        assert!(!covers("MX", &models));
        assert!(!covers("EX", &[]));
    }
}
