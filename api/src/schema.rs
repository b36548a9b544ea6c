//! Diesel's view of the tables; must match both migration sets under `migrations/`.

diesel::table! {
    organizations (id) {
        id -> BigInt,
        customer_number -> Text,
        name -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    contracts (id) {
        id -> BigInt,
        organization_id -> BigInt,
        contract_number -> Text,
        service -> Text,
        starts_on -> Date,
        ends_on -> Date,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    contract_emails (id) {
        id -> BigInt,
        contract_id -> BigInt,
        holder -> Text,
        email -> Text,
    }
}

diesel::table! {
    accounts (id) {
        id -> BigInt,
        organization_id -> Nullable<BigInt>,
        login_id -> Text,
        full_name -> Text,
        email -> Text,
        password_hash -> Text,
        role -> Text,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(contracts -> organizations (organization_id));
diesel::joinable!(contract_emails -> contracts (contract_id));
diesel::joinable!(accounts -> organizations (organization_id));

diesel::allow_tables_to_appear_in_same_query!(organizations, contracts, contract_emails, accounts);
