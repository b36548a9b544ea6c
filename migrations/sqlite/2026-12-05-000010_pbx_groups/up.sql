-- Pickup and hunting groups of a site and its feature codes (SPEC §8.2–8.3, seed 003 §5).
--
-- The feature codes (特番) are settings of the site: absent = not set. Every code is
-- checked by the application against the others, the park-hold code, the site number, the
-- gateway ids and the extension numbers (no code equal to, or a prefix of, another).
ALTER TABLE pbx_sites ADD COLUMN hold_code TEXT;
-- 転送先接続後の保留特番入力時: 'disconnect' (切断) or 'stay_connected' (非切断, the default).
ALTER TABLE pbx_sites ADD COLUMN hold_after_transfer TEXT NOT NULL DEFAULT 'stay_connected';
ALTER TABLE pbx_sites ADD COLUMN dial_confirm_code TEXT;
ALTER TABLE pbx_sites ADD COLUMN push_tone_send_code TEXT;
-- プッシュ音消去設定: 'erase' (消去する) or 'keep' (消去しない, the default).
ALTER TABLE pbx_sites ADD COLUMN push_tone_erase TEXT NOT NULL DEFAULT 'keep';

CREATE TABLE pickup_groups (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id INTEGER NOT NULL REFERENCES pbx_sites (id) ON DELETE CASCADE,
    number TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT pickup_groups_number_key UNIQUE (site_id, number)
);

-- An extension may be in any number of pickup groups (at most 64 members per group: the
-- application counts under the site's lock).
CREATE TABLE pickup_group_members (
    group_id INTEGER NOT NULL REFERENCES pickup_groups (id) ON DELETE CASCADE,
    extension_id INTEGER NOT NULL REFERENCES extensions (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (group_id, extension_id)
);
CREATE INDEX pickup_group_members_extension_id_idx ON pickup_group_members (extension_id);

-- The representative (代表内線番号) answers for one group at most; it becomes NULL when its
-- extension is deleted by force, and the group rings nobody until another is chosen.
CREATE TABLE hunting_groups (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id INTEGER NOT NULL REFERENCES pbx_sites (id) ON DELETE CASCADE,
    number TEXT NOT NULL,
    strategy TEXT NOT NULL,
    representative_extension_id INTEGER REFERENCES extensions (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT hunting_groups_number_key UNIQUE (site_id, number)
);
CREATE UNIQUE INDEX hunting_groups_representative_extension_id_key
    ON hunting_groups (representative_extension_id) WHERE representative_extension_id IS NOT NULL;

-- An extension is in one hunting group at most (seed 003 §5.3): the unique key holds it
-- even against two requests at the same moment. `position` orders the members of a
-- priority (パイロット) group: 1 rings first.
CREATE TABLE hunting_group_members (
    group_id INTEGER NOT NULL REFERENCES hunting_groups (id) ON DELETE CASCADE,
    extension_id INTEGER NOT NULL REFERENCES extensions (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (group_id, extension_id),
    CONSTRAINT hunting_group_members_extension_id_key UNIQUE (extension_id)
);
