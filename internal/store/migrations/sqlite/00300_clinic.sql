-- +goose Up
-- The clinic this server takes bookings for, as the clinic file describes
-- it (shared/contract/BOOKING.md). There is one clinic: its row has id 1.
-- demo marks what the demo clinic loaded, which importing a real clinic
-- removes.
CREATE TABLE clinic (
    id                 INTEGER PRIMARY KEY CHECK (id = 1),
    name               TEXT NOT NULL,
    phone              TEXT NOT NULL,
    email              TEXT NOT NULL,
    website            TEXT NOT NULL,
    insurance_note     TEXT NOT NULL,
    cancel_hours       INTEGER NOT NULL,
    min_notice_minutes INTEGER NOT NULL,
    horizon_days       INTEGER NOT NULL,
    slot_step_minutes  INTEGER NOT NULL,
    demo               BOOLEAN NOT NULL,
    updated_at         DATETIME NOT NULL
);

CREATE TABLE locations (
    id        TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    address   TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    phone     TEXT NOT NULL,
    demo      BOOLEAN NOT NULL
);

-- modes is a JSON list, such as ["in_person","virtual"].
CREATE TABLE services (
    id                    TEXT PRIMARY KEY,
    name                  TEXT NOT NULL,
    style                 TEXT NOT NULL,
    minutes               INTEGER NOT NULL,
    buffer_before_minutes INTEGER NOT NULL,
    buffer_after_minutes  INTEGER NOT NULL,
    price                 TEXT NOT NULL,
    currency              TEXT NOT NULL,
    modes                 TEXT NOT NULL,
    demo                  BOOLEAN NOT NULL
);

-- specialties, languages and modes are JSON lists of strings.
CREATE TABLE therapists (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    email       TEXT NOT NULL,
    credentials TEXT NOT NULL,
    licence     TEXT NOT NULL,
    bio         TEXT NOT NULL,
    specialties TEXT NOT NULL,
    languages   TEXT NOT NULL,
    location_id TEXT NOT NULL REFERENCES locations (id),
    modes       TEXT NOT NULL,
    video_url   TEXT NOT NULL,
    demo        BOOLEAN NOT NULL
);

-- The services a therapist gives, in the file's order.
CREATE TABLE therapist_services (
    therapist_id TEXT NOT NULL REFERENCES therapists (id) ON DELETE CASCADE,
    service_id   TEXT NOT NULL REFERENCES services (id),
    position     INTEGER NOT NULL,
    PRIMARY KEY (therapist_id, service_id)
);
CREATE INDEX therapist_services_by_service ON therapist_services (service_id);

-- Weekly working hours: on weekday (0 Sunday … 6 Saturday), from and to in
-- minutes after midnight on the location's wall clock, to at most 1440.
CREATE TABLE therapist_hours (
    therapist_id TEXT NOT NULL REFERENCES therapists (id) ON DELETE CASCADE,
    weekday      INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    from_minute  INTEGER NOT NULL CHECK (from_minute >= 0),
    to_minute    INTEGER NOT NULL CHECK (to_minute <= 1440 AND to_minute > from_minute)
);
CREATE INDEX therapist_hours_by_therapist ON therapist_hours (therapist_id);

-- Time off, [from_wall, to_wall) as YYYY-MM-DDTHH:MM on the location's wall
-- clock: what an instant they name depends on the zone's rules, which may
-- change after the time off is written.
CREATE TABLE therapist_time_off (
    therapist_id TEXT NOT NULL REFERENCES therapists (id) ON DELETE CASCADE,
    from_wall    TEXT NOT NULL,
    to_wall      TEXT NOT NULL
);
CREATE INDEX therapist_time_off_by_therapist ON therapist_time_off (therapist_id);

-- +goose Down
DROP TABLE therapist_time_off;
DROP TABLE therapist_hours;
DROP TABLE therapist_services;
DROP TABLE therapists;
DROP TABLE services;
DROP TABLE locations;
DROP TABLE clinic;
