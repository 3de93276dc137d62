package metrics

import (
	"context"
	"errors"
	"strconv"

	"unknot/internal/mail"
)

// CountMail returns s with each send counted: unknot_mail_sent_total when
// it succeeds, unknot_mail_send_errors_total when it fails. The sender is
// where an attempt's outcome is known, whichever worker made it.
func (m *Metrics) CountMail(s mail.Sender) mail.Sender {
	return &countingSender{Sender: s, m: m}
}

type countingSender struct {
	mail.Sender
	m *Metrics
}

func (c *countingSender) Send(ctx context.Context, q *mail.Queued, messageID string) error {
	err := c.Sender.Send(ctx, q, messageID)
	if err == nil {
		c.m.mailSent.WithLabelValues(q.Kind).Inc()
		return err
	}
	var perm *mail.PermanentError
	c.m.mailErrors.WithLabelValues(q.Kind, strconv.FormatBool(errors.As(err, &perm))).Inc()
	return err
}

// Close closes the sender's connection if it keeps one, as the worker
// does after each batch.
func (c *countingSender) Close() error {
	if cl, ok := c.Sender.(interface{ Close() error }); ok {
		return cl.Close()
	}
	return nil
}
