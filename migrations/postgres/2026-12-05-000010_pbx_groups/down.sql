DROP TABLE hunting_group_members;
DROP TABLE hunting_groups;
DROP TABLE pickup_group_members;
DROP TABLE pickup_groups;
ALTER TABLE pbx_sites DROP COLUMN push_tone_erase;
ALTER TABLE pbx_sites DROP COLUMN push_tone_send_code;
ALTER TABLE pbx_sites DROP COLUMN dial_confirm_code;
ALTER TABLE pbx_sites DROP COLUMN hold_after_transfer;
ALTER TABLE pbx_sites DROP COLUMN hold_code;
