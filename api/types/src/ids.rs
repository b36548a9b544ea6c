//! Typed ids of the tables the API exposes: an `AccountId` cannot be passed where an
//! `OrganizationId` is expected. On the wire and in the database they are plain integers.

crate::id_type! {
    /// An organization (tenant).
    pub struct OrganizationId;
    /// An account: a customer user or provider staff.
    pub struct AccountId;
    /// A contract of an organization.
    pub struct ContractId;
    /// A project (案件): contracts of one organization with its customer project group.
    pub struct ProjectId;
    /// A document (quote, contract, invoice, purchase order) attached to a contract.
    pub struct DocumentId;
    /// A maker of the product support catalog.
    pub struct MakerId;
    /// A product series of a maker (EXシリーズ).
    pub struct SeriesId;
    /// An entry of a series' page: a download, a document, a shipping version, an
    /// end-of-support notice.
    pub struct ProductEntryId;
    /// A knowledge base article.
    pub struct ArticleId;
    /// A file attached to a knowledge base article.
    pub struct AttachmentId;
    /// A ticket (shown as `T-000123`).
    pub struct TicketId;
    /// An entry of a ticket's timeline: a reply, a note, a status change, progress.
    pub struct TicketEventId;
    /// A file attached to a ticket or a reply.
    pub struct TicketAttachmentId;
    /// A resumable upload on its way to becoming an attachment.
    pub struct UploadId;
    /// A personal API token.
    pub struct ApiTokenId;
    /// An entry of the audit log.
    pub struct AuditEventId;
    /// A background job (mail, imports, purges, renderings).
    pub struct JobId;
    /// A mobile line of a Business Mobile contract.
    pub struct MobileLineId;
    /// A PBX site (拠点) of an organization.
    pub struct SiteId;
    /// An extension (内線番号) of a PBX site.
    pub struct ExtensionId;
    /// A pickup group (ピックアップグループ) of a PBX site.
    pub struct PickupGroupId;
    /// A call hunting group (コールハンティンググループ) of a PBX site.
    pub struct HuntingGroupId;
    /// An analytics subscription (CX サポート) of an operator ID.
    pub struct SubscriptionId;
    /// A user-defined group of a subscription's ANs or DNs.
    pub struct NumberGroupId;
}
