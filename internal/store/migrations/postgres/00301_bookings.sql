-- +goose Up
-- Bookings. blocked_from and blocked_to are the booking's time with the
-- buffers its service had when it was made ([starts_at - buffer before,
-- ends_at + buffer after)): what no other booking that holds its time may
-- overlap. The exclusion constraint makes that so however requests
-- interleave: btree_gist lets one GiST index compare the therapist for
-- equality and the ranges for overlap ('[)' ranges that only touch do not
-- overlap). A violation is SQLSTATE 23P01, which the store reports as
-- ErrConflict.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE bookings (
    id                    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    service_id            TEXT NOT NULL REFERENCES services (id),
    therapist_id          TEXT NOT NULL REFERENCES therapists (id),
    location_id           TEXT NOT NULL REFERENCES locations (id),
    mode                  TEXT NOT NULL CHECK (mode IN ('in_person', 'virtual')),
    starts_at             TIMESTAMPTZ NOT NULL,
    ends_at               TIMESTAMPTZ NOT NULL,
    buffer_before_minutes INTEGER NOT NULL,
    buffer_after_minutes  INTEGER NOT NULL,
    blocked_from          TIMESTAMPTZ NOT NULL,
    blocked_to            TIMESTAMPTZ NOT NULL,
    status                TEXT NOT NULL CHECK (status IN ('confirmed', 'cancelled', 'attended', 'no_show')),
    name                  TEXT NOT NULL,
    email                 TEXT NOT NULL,
    phone                 TEXT NOT NULL,
    note                  TEXT NOT NULL,
    sequence              INTEGER NOT NULL,
    created_at            TIMESTAMPTZ NOT NULL,
    updated_at            TIMESTAMPTZ NOT NULL,
    CHECK (ends_at > starts_at AND blocked_from <= starts_at AND blocked_to >= ends_at),
    CONSTRAINT bookings_no_overlap EXCLUDE USING gist (
        therapist_id WITH =,
        tstzrange(blocked_from, blocked_to, '[)') WITH &&
    ) WHERE (status <> 'cancelled')
);
CREATE INDEX bookings_by_email ON bookings (email);

-- The private links that manage a booking, by the hash of their token. A
-- booking made again with the same idempotency key gets a new link too.
CREATE TABLE booking_tokens (
    token_hash BYTEA PRIMARY KEY,
    booking_id BIGINT NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX booking_tokens_by_booking ON booking_tokens (booking_id);

-- Idempotency keys of booking requests that succeeded, with a hash of the
-- request, kept 24 hours: a repeat with the same key and request answers
-- with the same booking instead of making another.
CREATE TABLE booking_requests (
    idempotency_key TEXT PRIMARY KEY,
    request_hash    BYTEA NOT NULL,
    booking_id      BIGINT NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX booking_requests_by_time ON booking_requests (created_at);

-- +goose Down
DROP TABLE booking_requests;
DROP TABLE booking_tokens;
DROP TABLE bookings;
