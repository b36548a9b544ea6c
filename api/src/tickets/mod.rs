//! Tickets (SPEC §6): inquiries and incident reports of a customer, answered by staff.
//! Every change appends to the ticket's timeline and, unless it is an internal note, mails
//! the reporter and the CC list in the same transaction ([`notify`]). Replies also arrive
//! by mail ([`inbound`]).
//!
//! Visibility follows the one access policy: an organization's tickets for its accounts; a
//! project-restricted account sees the tickets on its projects' contracts and the ones it
//! reported itself; internal notes and their files only for staff.

mod inbound;
mod notify;
mod routes;

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
pub use madoguchi_types::ids::{TicketAttachmentId, TicketEventId, TicketId};
use madoguchi_types::tickets::{
    Ticket, TicketAttachment, TicketEvent, TicketPerson, TicketSummary, ticket_number,
};
pub use madoguchi_types::tickets::{
    TicketCategory, TicketChannel, TicketEventKind, TicketKind, TicketStatus,
};

use crate::accounts::{AccountId, Role};
use crate::contracts::ContractId;
use crate::db::DbConn;
use crate::error::ApiError;
use crate::organizations::OrganizationId;
use crate::policy::Scope;
use crate::schema::{accounts, organizations, ticket_attachments, ticket_events, tickets};

pub use routes::routes;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = tickets)]
pub struct TicketRow {
    pub id: TicketId,
    pub organization_id: OrganizationId,
    pub contract_id: Option<ContractId>,
    pub reporter_id: AccountId,
    pub assignee_id: Option<AccountId>,
    pub kind: TicketKind,
    pub status: TicketStatus,
    pub category: TicketCategory,
    pub channel: TicketChannel,
    pub product: String,
    pub subject: String,
    pub contract_number: String,
    pub serial_number: String,
    pub model: String,
    pub os_version: String,
    pub cc: String,
    pub body: String,
    pub estimated_recovery_at: Option<NaiveDateTime>,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl TicketRow {
    pub fn number(&self) -> String {
        ticket_number(self.id)
    }

    /// The CC addresses (stored validated, comma-separated).
    pub fn cc_list(&self) -> Vec<String> {
        self.cc
            .split(',')
            .filter(|address| !address.is_empty())
            .map(str::to_owned)
            .collect()
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = ticket_events)]
pub struct EventRow {
    pub id: TicketEventId,
    pub ticket_id: TicketId,
    pub kind: TicketEventKind,
    pub author_id: Option<AccountId>,
    pub author_email: Option<String>,
    pub channel: TicketChannel,
    pub internal: bool,
    pub body: Option<String>,
    pub from_status: Option<TicketStatus>,
    pub to_status: Option<TicketStatus>,
    pub estimated_recovery_at: Option<NaiveDateTime>,
    pub assignee_id: Option<AccountId>,
    pub created_at: NaiveDateTime,
}

/// An event about to be appended.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = ticket_events)]
pub struct NewEvent {
    pub ticket_id: TicketId,
    pub kind: TicketEventKind,
    pub author_id: Option<AccountId>,
    pub author_email: Option<String>,
    pub channel: TicketChannel,
    pub internal: bool,
    pub body: Option<String>,
    pub from_status: Option<TicketStatus>,
    pub to_status: Option<TicketStatus>,
    pub estimated_recovery_at: Option<NaiveDateTime>,
    pub assignee_id: Option<AccountId>,
    pub created_at: NaiveDateTime,
}

impl NewEvent {
    pub fn new(ticket: TicketId, kind: TicketEventKind, channel: TicketChannel, now: NaiveDateTime) -> Self {
        Self {
            ticket_id: ticket,
            kind,
            author_id: None,
            author_email: None,
            channel,
            internal: false,
            body: None,
            from_status: None,
            to_status: None,
            estimated_recovery_at: None,
            assignee_id: None,
            created_at: now,
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = ticket_attachments)]
pub struct AttachmentRow {
    pub id: TicketAttachmentId,
    pub ticket_id: TicketId,
    pub event_id: Option<TicketEventId>,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub storage_key: String,
    pub uploaded_by: Option<AccountId>,
    pub created_at: NaiveDateTime,
}

/// The tickets a scope shows, as a boxed query: the organization, and for a
/// project-restricted account its projects' contracts' tickets and its own.
macro_rules! visible_tickets {
    ($scope:expr) => {{
        let scope: $crate::policy::Scope = $scope;
        let query = $crate::scoped!(
            $crate::schema::tickets::table.into_boxed(),
            $crate::schema::tickets::organization_id,
            scope
        );
        match scope.project_member() {
            Some(account) => query.filter(
                $crate::schema::tickets::contract_id
                    .assume_not_null()
                    .eq_any($crate::projects::contracts_of_member(account))
                    .or($crate::schema::tickets::reporter_id.eq(account)),
            ),
            None => query,
        }
    }};
}
pub(crate) use visible_tickets;

/// The ticket if the scope shows it; any other id is a 404.
pub fn find_visible(conn: &mut DbConn, scope: Scope, id: TicketId) -> Result<TicketRow, ApiError> {
    visible_tickets!(scope)
        .filter(tickets::id.eq(id))
        .select(TicketRow::as_select())
        .get_result(conn)
        .optional()?
        .ok_or(ApiError::NotFound)
}

/// Names of accounts (and whether they are staff), for the people a page shows.
fn people(conn: &mut DbConn, ids: &[AccountId]) -> QueryResult<HashMap<AccountId, TicketPerson>> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let rows: Vec<(AccountId, String, Role)> = accounts::table
        .filter(accounts::id.eq_any(&ids))
        .select((accounts::id, accounts::full_name, accounts::role))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, name, role)| {
            (
                id,
                TicketPerson {
                    account_id: Some(id),
                    name,
                    staff: role == Role::Staff,
                },
            )
        })
        .collect())
}

fn person(people: &HashMap<AccountId, TicketPerson>, id: AccountId) -> TicketPerson {
    people.get(&id).cloned().unwrap_or(TicketPerson {
        account_id: Some(id),
        name: String::new(),
        staff: false,
    })
}

/// List rows for tickets (names of organizations and people looked up once per page).
pub fn summaries(conn: &mut DbConn, rows: Vec<TicketRow>) -> QueryResult<Vec<TicketSummary>> {
    let mut ids: Vec<AccountId> = rows.iter().map(|row| row.reporter_id).collect();
    ids.extend(rows.iter().filter_map(|row| row.assignee_id));
    let people = people(conn, &ids)?;
    let organization_ids: Vec<OrganizationId> = rows.iter().map(|row| row.organization_id).collect();
    let names: HashMap<OrganizationId, String> = organizations::table
        .filter(organizations::id.eq_any(&organization_ids))
        .select((organizations::id, organizations::name))
        .load::<(OrganizationId, String)>(conn)?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .map(|row| {
            summary(
                &row,
                &people,
                names.get(&row.organization_id).cloned().unwrap_or_default(),
            )
        })
        .collect())
}

fn summary(
    row: &TicketRow,
    people: &HashMap<AccountId, TicketPerson>,
    organization_name: String,
) -> TicketSummary {
    TicketSummary {
        id: row.id,
        number: row.number(),
        organization_id: row.organization_id,
        organization_name,
        kind: row.kind,
        status: row.status,
        category: row.category,
        product: row.product.clone(),
        subject: row.subject.clone(),
        reporter: person(people, row.reporter_id),
        assignee: row.assignee_id.map(|id| person(people, id)),
        estimated_recovery_at: row.estimated_recovery_at.map(|at| at.and_utc()),
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
    }
}

fn attachment_dto(row: &AttachmentRow) -> TicketAttachment {
    TicketAttachment {
        id: row.id,
        file_name: row.file_name.clone(),
        content_type: row.content_type.clone(),
        size_bytes: row.size_bytes,
        sha256: row.sha256.clone(),
        event_id: row.event_id,
    }
}

/// The whole ticket as `staff` or a customer sees it: customers see no internal notes (nor
/// their files).
pub fn detail(conn: &mut DbConn, row: TicketRow, staff: bool) -> Result<Ticket, ApiError> {
    let mut events_query = ticket_events::table
        .filter(ticket_events::ticket_id.eq(row.id))
        .into_boxed();
    if !staff {
        events_query = events_query.filter(ticket_events::internal.eq(false));
    }
    let events: Vec<EventRow> = events_query
        .order(ticket_events::id)
        .select(EventRow::as_select())
        .load(conn)?;
    let attachments: Vec<AttachmentRow> = ticket_attachments::table
        .filter(ticket_attachments::ticket_id.eq(row.id))
        .order(ticket_attachments::id)
        .select(AttachmentRow::as_select())
        .load(conn)?;
    let mut ids = vec![row.reporter_id];
    ids.extend(row.assignee_id);
    ids.extend(events.iter().filter_map(|event| event.author_id));
    ids.extend(events.iter().filter_map(|event| event.assignee_id));
    let people = people(conn, &ids)?;
    let organization_name: String = organizations::table
        .find(row.organization_id)
        .select(organizations::name)
        .get_result(conn)?;
    let events_dto = events
        .iter()
        .map(|event| TicketEvent {
            id: event.id,
            kind: event.kind,
            author: match (event.author_id, &event.author_email) {
                (Some(id), _) => Some(person(&people, id)),
                (None, Some(email)) => Some(TicketPerson {
                    account_id: None,
                    name: email.clone(),
                    staff: false,
                }),
                (None, None) => None,
            },
            channel: event.channel,
            body: event.body.clone(),
            from_status: event.from_status,
            to_status: event.to_status,
            estimated_recovery_at: event.estimated_recovery_at.map(|at| at.and_utc()),
            assignee: event.assignee_id.map(|id| person(&people, id)),
            attachments: attachments
                .iter()
                .filter(|attachment| attachment.event_id == Some(event.id))
                .map(attachment_dto)
                .collect(),
            created_at: event.created_at.and_utc(),
        })
        .collect();
    // A reply's files go with it: those of notes a customer does not see are not listed.
    let own_attachments = attachments
        .iter()
        .filter(|attachment| attachment.event_id.is_none())
        .map(attachment_dto)
        .collect();
    Ok(Ticket {
        summary: summary(&row, &people, organization_name),
        channel: row.channel,
        contract_number: row.contract_number.clone(),
        contract_id: row.contract_id,
        serial_number: row.serial_number.clone(),
        model: row.model.clone(),
        os_version: row.os_version.clone(),
        cc: row.cc_list(),
        body: row.body.clone(),
        attachments: own_attachments,
        events: events_dto,
        next_statuses: row.status.next(staff).to_vec(),
        version: row.version,
    })
}

/// Appends `event` and returns its id.
pub fn append(conn: &mut DbConn, event: &NewEvent) -> QueryResult<TicketEventId> {
    diesel::insert_into(ticket_events::table)
        .values(event)
        .returning(ticket_events::id)
        .get_result(conn)
}

/// A stored file about to become a ticket's attachment: a complete upload, or a file of
/// an inbound mail.
pub struct FileToAttach {
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub storage_key: String,
    pub uploaded_by: Option<AccountId>,
}

impl From<crate::resumable::UploadRow> for FileToAttach {
    fn from(upload: crate::resumable::UploadRow) -> Self {
        Self {
            file_name: upload.file_name,
            content_type: upload.content_type,
            size_bytes: upload.size_bytes,
            sha256: upload.sha256.unwrap_or_default(),
            storage_key: upload.storage_key,
            uploaded_by: Some(upload.account_id),
        }
    }
}

/// Attaches files to the ticket (and the event they came with).
pub fn attach(
    conn: &mut DbConn,
    ticket: TicketId,
    event: Option<TicketEventId>,
    files: &[FileToAttach],
    now: NaiveDateTime,
) -> QueryResult<()> {
    for file in files {
        diesel::insert_into(ticket_attachments::table)
            .values((
                ticket_attachments::ticket_id.eq(ticket),
                ticket_attachments::event_id.eq(event),
                ticket_attachments::file_name.eq(&file.file_name),
                ticket_attachments::content_type.eq(&file.content_type),
                ticket_attachments::size_bytes.eq(file.size_bytes),
                ticket_attachments::sha256.eq(&file.sha256),
                ticket_attachments::storage_key.eq(&file.storage_key),
                ticket_attachments::uploaded_by.eq(file.uploaded_by),
                ticket_attachments::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Records a change of the ticket in one update: its status and estimated recovery as
/// given, the version bumped, `updated_at` now; answers the ticket as it is then.
pub fn touch(
    conn: &mut DbConn,
    id: TicketId,
    status: TicketStatus,
    estimated_recovery_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> QueryResult<TicketRow> {
    diesel::update(tickets::table.find(id))
        .set((
            tickets::status.eq(status),
            tickets::estimated_recovery_at.eq(estimated_recovery_at),
            tickets::version.eq(tickets::version + 1),
            tickets::updated_at.eq(now),
        ))
        .returning(tickets::all_columns)
        .get_result(conn)
}
