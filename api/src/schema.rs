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
        company_name -> Text,
        maintenance_email -> Nullable<Text>,
        failed_sign_ins -> Integer,
        locked_until -> Nullable<Timestamp>,
        otp_email -> Nullable<Text>,
        pbx_admin -> Bool,
        analytics -> Bool,
        preferred_lang -> Text,
        pending_email -> Nullable<Text>,
    }
}

diesel::table! {
    account_links (id) {
        id -> BigInt,
        account_id -> BigInt,
        purpose -> Text,
        token_hash -> Text,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        email -> Nullable<Text>,
    }
}

diesel::table! {
    otp_challenges (id) {
        id -> BigInt,
        account_id -> BigInt,
        purpose -> Text,
        challenge_hash -> Text,
        code_hash -> Text,
        email -> Text,
        failed_attempts -> Integer,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    sessions (id) {
        id -> BigInt,
        account_id -> BigInt,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        ip -> Nullable<Text>,
        user_agent -> Nullable<Text>,
        public_id -> Text,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> BigInt,
        session_id -> BigInt,
        token_hash -> Text,
        created_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> BigInt,
        account_id -> BigInt,
        name -> Text,
        token_prefix -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    jobs (id) {
        id -> BigInt,
        kind -> Text,
        payload -> Text,
        state -> Text,
        organization_id -> Nullable<BigInt>,
        created_by -> Nullable<BigInt>,
        attempts -> Integer,
        max_attempts -> Integer,
        run_after -> Timestamp,
        lease_until -> Nullable<Timestamp>,
        worker -> Nullable<Text>,
        progress_done -> BigInt,
        progress_total -> Nullable<BigInt>,
        result -> Nullable<Text>,
        last_error -> Nullable<Text>,
        problem -> Nullable<Text>,
        recipient -> Nullable<Text>,
        created_at -> Timestamp,
        started_at -> Nullable<Timestamp>,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    audit_events (id) {
        id -> BigInt,
        organization_id -> Nullable<BigInt>,
        actor_account_id -> Nullable<BigInt>,
        subject_account_id -> Nullable<BigInt>,
        action -> Text,
        detail -> Text,
        ip -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    contract_equipment (id) {
        id -> BigInt,
        contract_id -> BigInt,
        position -> Integer,
        maker -> Text,
        model -> Text,
        serial_number -> Text,
        os_version -> Text,
    }
}

diesel::table! {
    projects (id) {
        id -> BigInt,
        organization_id -> BigInt,
        name -> Text,
        group_name -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    project_contracts (project_id, contract_id) {
        project_id -> BigInt,
        contract_id -> BigInt,
    }
}

diesel::table! {
    project_members (project_id, account_id) {
        project_id -> BigInt,
        account_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    documents (id) {
        id -> BigInt,
        organization_id -> BigInt,
        contract_id -> BigInt,
        kind -> Text,
        number -> Text,
        title -> Text,
        issued_on -> Date,
        amount_yen -> Nullable<BigInt>,
        file_name -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        storage_key -> Text,
        uploaded_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        quote_state -> Nullable<Text>,
        supersedes_id -> Nullable<BigInt>,
        answered_at -> Nullable<Timestamp>,
        answered_by -> Nullable<BigInt>,
        answer_comment -> Nullable<Text>,
        order_document_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    product_makers (id) {
        id -> BigInt,
        name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    product_series (id) {
        id -> BigInt,
        maker_id -> BigInt,
        name -> Text,
        description -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    product_series_models (series_id, model_prefix) {
        series_id -> BigInt,
        model_prefix -> Text,
    }
}

diesel::table! {
    product_entries (id) {
        id -> BigInt,
        series_id -> BigInt,
        kind -> Text,
        title -> Text,
        version -> Text,
        note -> Text,
        published_on -> Nullable<Date>,
        eoe_on -> Nullable<Date>,
        eol_on -> Nullable<Date>,
        link_url -> Nullable<Text>,
        file_name -> Nullable<Text>,
        size_bytes -> Nullable<BigInt>,
        sha256 -> Nullable<Text>,
        storage_key -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    knowledge_articles (id) {
        id -> BigInt,
        category -> Text,
        series_id -> Nullable<BigInt>,
        public -> Bool,
        title -> Text,
        body -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    knowledge_attachments (id) {
        id -> BigInt,
        article_id -> BigInt,
        file_name -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        storage_key -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(contracts -> organizations (organization_id));
diesel::joinable!(contract_emails -> contracts (contract_id));
diesel::joinable!(accounts -> organizations (organization_id));

diesel::joinable!(account_links -> accounts (account_id));
diesel::joinable!(otp_challenges -> accounts (account_id));
diesel::joinable!(sessions -> accounts (account_id));
diesel::joinable!(refresh_tokens -> sessions (session_id));
diesel::joinable!(api_tokens -> accounts (account_id));
diesel::joinable!(jobs -> organizations (organization_id));
diesel::joinable!(contract_equipment -> contracts (contract_id));
diesel::joinable!(documents -> contracts (contract_id));
diesel::joinable!(projects -> organizations (organization_id));
diesel::joinable!(project_contracts -> projects (project_id));
diesel::joinable!(project_contracts -> contracts (contract_id));
diesel::joinable!(project_members -> projects (project_id));
diesel::joinable!(project_members -> accounts (account_id));

diesel::joinable!(product_series -> product_makers (maker_id));
diesel::joinable!(product_series_models -> product_series (series_id));
diesel::joinable!(product_entries -> product_series (series_id));
diesel::joinable!(knowledge_articles -> product_series (series_id));
diesel::joinable!(knowledge_attachments -> knowledge_articles (article_id));

diesel::table! {
    tickets (id) {
        id -> BigInt,
        organization_id -> BigInt,
        contract_id -> Nullable<BigInt>,
        reporter_id -> BigInt,
        assignee_id -> Nullable<BigInt>,
        kind -> Text,
        status -> Text,
        category -> Text,
        channel -> Text,
        product -> Text,
        subject -> Text,
        contract_number -> Text,
        serial_number -> Text,
        model -> Text,
        os_version -> Text,
        cc -> Text,
        body -> Text,
        estimated_recovery_at -> Nullable<Timestamp>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    ticket_events (id) {
        id -> BigInt,
        ticket_id -> BigInt,
        kind -> Text,
        author_id -> Nullable<BigInt>,
        author_email -> Nullable<Text>,
        channel -> Text,
        internal -> Bool,
        body -> Nullable<Text>,
        from_status -> Nullable<Text>,
        to_status -> Nullable<Text>,
        estimated_recovery_at -> Nullable<Timestamp>,
        assignee_id -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    ticket_attachments (id) {
        id -> BigInt,
        ticket_id -> BigInt,
        event_id -> Nullable<BigInt>,
        file_name -> Text,
        content_type -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        storage_key -> Text,
        uploaded_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    uploads (id) {
        id -> BigInt,
        account_id -> BigInt,
        file_name -> Text,
        content_type -> Text,
        size_bytes -> BigInt,
        received_bytes -> BigInt,
        storage_key -> Text,
        sha256 -> Nullable<Text>,
        completed_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    upload_parts (id) {
        id -> BigInt,
        upload_id -> BigInt,
        start_offset -> BigInt,
        size_bytes -> BigInt,
        storage_key -> Text,
    }
}

diesel::table! {
    mobile_lines (id) {
        id -> BigInt,
        organization_id -> BigInt,
        contract_id -> BigInt,
        user_name -> Text,
        mobile_number -> Text,
        international_restricted -> Bool,
        office_link -> Bool,
        registered_on -> Date,
        deleted_on -> Nullable<Date>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    pbx_sites (id) {
        id -> BigInt,
        organization_id -> BigInt,
        name -> Text,
        domain_name -> Text,
        site_number -> Text,
        gateway_ids -> Text,
        park_hold_code -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        hold_code -> Nullable<Text>,
        hold_after_transfer -> Text,
        dial_confirm_code -> Nullable<Text>,
        push_tone_send_code -> Nullable<Text>,
        push_tone_erase -> Text,
    }
}

diesel::table! {
    extensions (id) {
        id -> BigInt,
        site_id -> BigInt,
        number -> Text,
        sip_user -> Text,
        sip_password_sealed -> Text,
        web_user -> Text,
        web_password_sealed -> Text,
        mobile_line_id -> Nullable<BigInt>,
        forward_always -> Nullable<Text>,
        forward_busy -> Nullable<Text>,
        forward_no_answer -> Nullable<Text>,
        forward_no_answer_seconds -> Nullable<Integer>,
        forward_unreachable -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    pickup_groups (id) {
        id -> BigInt,
        site_id -> BigInt,
        number -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    pickup_group_members (group_id, extension_id) {
        group_id -> BigInt,
        extension_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    hunting_groups (id) {
        id -> BigInt,
        site_id -> BigInt,
        number -> Text,
        strategy -> Text,
        representative_extension_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    hunting_group_members (group_id, extension_id) {
        group_id -> BigInt,
        extension_id -> BigInt,
        position -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    call_records (site_id, call_day, record_key) {
        site_id -> BigInt,
        call_day -> Date,
        record_key -> Text,
        attempted_at -> Timestamp,
        answered_at -> Nullable<Timestamp>,
        ended_at -> Nullable<Timestamp>,
        connected -> Bool,
        requested_service -> Text,
        received_number -> Text,
        caller -> Text,
        callee -> Text,
        forwarding_party -> Text,
        disconnect_type -> Text,
        disconnecting_party -> Text,
        cause_code -> Text,
    }
}

diesel::table! {
    cdr_secrets (site_id) {
        site_id -> BigInt,
        question -> Text,
        answer_hash -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    cdr_answer_failures (site_id, account_id) {
        site_id -> BigInt,
        account_id -> BigInt,
        failures -> Integer,
        locked_until -> Nullable<Timestamp>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    cdr_grants (token_hash) {
        token_hash -> Text,
        site_id -> BigInt,
        account_id -> BigInt,
        expires_at -> Timestamp,
    }
}

diesel::joinable!(tickets -> organizations (organization_id));
diesel::joinable!(pbx_sites -> organizations (organization_id));
diesel::joinable!(extensions -> pbx_sites (site_id));
diesel::joinable!(extensions -> mobile_lines (mobile_line_id));
diesel::joinable!(mobile_lines -> contracts (contract_id));
diesel::joinable!(ticket_events -> tickets (ticket_id));
diesel::joinable!(ticket_attachments -> tickets (ticket_id));
diesel::joinable!(upload_parts -> uploads (upload_id));
diesel::joinable!(pickup_groups -> pbx_sites (site_id));
diesel::joinable!(pickup_group_members -> pickup_groups (group_id));
diesel::joinable!(pickup_group_members -> extensions (extension_id));
diesel::joinable!(hunting_groups -> pbx_sites (site_id));
diesel::joinable!(hunting_groups -> extensions (representative_extension_id));
diesel::joinable!(hunting_group_members -> hunting_groups (group_id));
diesel::joinable!(hunting_group_members -> extensions (extension_id));
diesel::table! {
    analytics_subscriptions (id) {
        id -> BigInt,
        organization_id -> BigInt,
        opid -> Text,
        analytics_id -> Text,
        plan -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        data_version -> BigInt,
        industry -> Nullable<Text>,
        contact_phone -> Nullable<Text>,
        department -> Nullable<Text>,
        contact_person -> Nullable<Text>,
        sales_code -> Nullable<Text>,
        billing_phone -> Nullable<Text>,
        billing_number -> Nullable<Text>,
    }
}

diesel::table! {
    analytics_own_data (subscription_id, day, label) {
        subscription_id -> BigInt,
        day -> Date,
        label -> Text,
        calls -> BigInt,
        seconds -> Nullable<BigInt>,
        uploaded_at -> Timestamp,
    }
}

diesel::table! {
    analytics_child_ids (account_id) {
        account_id -> BigInt,
        subscription_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    analytics_signups (id) {
        id -> BigInt,
        token_hash -> Text,
        opid -> Text,
        analytics_id -> Text,
        contractor_name -> Text,
        industry -> Text,
        contact_phone -> Text,
        an_number -> Text,
        dn_number -> Text,
        plan -> Text,
        billing_phone -> Nullable<Text>,
        billing_number -> Nullable<Text>,
        department -> Text,
        contact_person -> Text,
        email -> Text,
        password_hash -> Text,
        sales_code -> Text,
        lang -> Text,
        expires_at -> Timestamp,
        created_at -> Timestamp,
        confirmed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    analytics_numbers (subscription_id, kind, number) {
        subscription_id -> BigInt,
        kind -> Text,
        number -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    analytics_groups (id) {
        id -> BigInt,
        subscription_id -> BigInt,
        kind -> Text,
        name -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    analytics_group_numbers (group_id, number) {
        group_id -> BigInt,
        number -> Text,
    }
}

diesel::table! {
    analytics_calls (subscription_id, record_id) {
        subscription_id -> BigInt,
        record_id -> Text,
        day -> Date,
        called_at -> Timestamp,
        an -> Text,
        caller -> Text,
        dn -> Text,
        duration_seconds -> Integer,
        result -> Text,
        origin -> Integer,
    }
}

diesel::table! {
    analytics_traffic (subscription_id, day, hour, an, dn, result) {
        subscription_id -> BigInt,
        day -> Date,
        hour -> Integer,
        weekday -> Integer,
        an -> Text,
        dn -> Text,
        result -> Text,
        calls -> BigInt,
        seconds -> BigInt,
    }
}

diesel::table! {
    analytics_origins (subscription_id, day, hour, an, dn, origin) {
        subscription_id -> BigInt,
        day -> Date,
        hour -> Integer,
        weekday -> Integer,
        an -> Text,
        dn -> Text,
        origin -> Integer,
        calls -> BigInt,
        completed -> BigInt,
        seconds -> BigInt,
    }
}

diesel::table! {
    analytics_minutes (subscription_id, day, minute, an, dn) {
        subscription_id -> BigInt,
        day -> Date,
        minute -> Integer,
        weekday -> Integer,
        an -> Text,
        dn -> Text,
        calls -> BigInt,
    }
}

diesel::table! {
    analytics_durations (subscription_id, day, hour, an, dn, bucket) {
        subscription_id -> BigInt,
        day -> Date,
        hour -> Integer,
        weekday -> Integer,
        an -> Text,
        dn -> Text,
        bucket -> Integer,
        calls -> BigInt,
    }
}

diesel::table! {
    analytics_callers (subscription_id, caller, day, hour, an, dn) {
        subscription_id -> BigInt,
        caller -> Text,
        day -> Date,
        hour -> Integer,
        weekday -> Integer,
        an -> Text,
        dn -> Text,
        calls -> BigInt,
    }
}

diesel::table! {
    analytics_caller_days (subscription_id, day) {
        subscription_id -> BigInt,
        day -> Date,
        packed -> Nullable<Binary>,
        changes -> BigInt,
    }
}

diesel::table! {
    analytics_minute_totals (subscription_id, day, minute) {
        subscription_id -> BigInt,
        day -> Date,
        minute -> Integer,
        weekday -> Integer,
        calls -> BigInt,
    }
}

diesel::table! {
    analytics_report_cache (subscription_id, report_key) {
        subscription_id -> BigInt,
        report_key -> Text,
        data_version -> BigInt,
        body -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(call_records -> pbx_sites (site_id));
diesel::joinable!(cdr_secrets -> pbx_sites (site_id));
diesel::joinable!(analytics_subscriptions -> organizations (organization_id));
diesel::joinable!(analytics_numbers -> analytics_subscriptions (subscription_id));
diesel::joinable!(analytics_child_ids -> accounts (account_id));
diesel::joinable!(analytics_own_data -> analytics_subscriptions (subscription_id));
diesel::joinable!(analytics_child_ids -> analytics_subscriptions (subscription_id));
diesel::joinable!(analytics_groups -> analytics_subscriptions (subscription_id));
diesel::joinable!(analytics_group_numbers -> analytics_groups (group_id));

diesel::allow_tables_to_appear_in_same_query!(
    organizations,
    contracts,
    contract_emails,
    accounts,
    account_links,
    otp_challenges,
    sessions,
    refresh_tokens,
    api_tokens,
    jobs,
    audit_events,
    contract_equipment,
    projects,
    project_contracts,
    project_members,
    documents,
    product_makers,
    product_series,
    product_series_models,
    product_entries,
    knowledge_articles,
    knowledge_attachments,
    tickets,
    ticket_events,
    ticket_attachments,
    uploads,
    upload_parts,
    mobile_lines,
    pbx_sites,
    extensions,
    pickup_groups,
    pickup_group_members,
    hunting_groups,
    hunting_group_members,
    call_records,
    cdr_secrets,
    cdr_answer_failures,
    cdr_grants,
    analytics_subscriptions,
    analytics_signups,
    analytics_child_ids,
    analytics_own_data,
    analytics_numbers,
    analytics_groups,
    analytics_group_numbers,
    analytics_calls,
    analytics_traffic,
    analytics_origins,
    analytics_report_cache,
    analytics_minutes,
    analytics_durations,
    analytics_callers,
    analytics_caller_days,
    analytics_minute_totals,
);
