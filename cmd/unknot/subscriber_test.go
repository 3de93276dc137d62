package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"unknot/internal/mail"
	"unknot/internal/secret"
	"unknot/internal/store"
	"unknot/internal/subscribe"
)

func TestSubscriberExportAndDelete(t *testing.T) {
	path := filepath.Join(t.TempDir(), "unknot.db")
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	_, hash := secret.NewToken()
	if _, err := db.SignUp(context.Background(), store.SignUp{
		Form: subscribe.Form{FirstName: "Anna", Email: "anna@example.com"}, TokenHash: hash,
		Compose: func(sub *store.Subscriber, _ subscribe.Action) (*mail.Message, error) {
			return &mail.Message{Kind: mail.KindConfirm, To: sub.Email, Subject: "Confirm", Text: "Hi"}, nil
		},
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	code, out, errOut := runCLI(t, "", "subscriber", "export", "--email", "Anna@Example.com", "--db", path)
	var data store.SubscriberData
	if code != 0 || json.Unmarshal([]byte(out), &data) != nil || data.Subscriber.FirstName != "Anna" || len(data.Mails) != 1 {
		t.Fatalf("export: exit %d, %s %s", code, out, errOut)
	}
	if code, out, _ := runCLI(t, "", "subscriber", "delete", "--email", "anna@example.com", "--db", path); code != 0 || !strings.Contains(out, "deleted") {
		t.Errorf("delete: exit %d, %s", code, out)
	}
	if code, _, errOut := runCLI(t, "", "subscriber", "export", "--email", "anna@example.com", "--db", path); code != 1 || !strings.Contains(errOut, "no subscriber") {
		t.Errorf("export after delete: exit %d, %s", code, errOut)
	}
}

func TestSubscriberAndMailUsageErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "unknot.db")
	for _, args := range [][]string{
		{"subscriber"},
		{"subscriber", "list"},
		{"subscriber", "export", "--db", db},
		{"subscriber", "delete", "--email", "not-an-address", "--db", db},
		{"serve", "--mail-from", "nobody"},
		{"serve", "--mail-rate", "0"},
		{"serve", "--smtp-url", "http://mail.example"},
		{"serve", "--production", "--smtp-url", "smtp://mail.example:587", "--mail-from", "guide@clinic.example"},
		{"serve", "--production", "--base-url", "http://clinic.example", "--smtp-url", "smtp://mail.example:587", "--mail-from", "guide@clinic.example"},
		{"serve", "--production", "--base-url", "https://clinic.example", "--mail-from", "guide@clinic.example"},
		{"serve", "--production", "--base-url", "https://clinic.example", "--smtp-url", "smtp://mail.example:587"},
	} {
		if code, _, errOut := runCLI(t, "", args...); code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", args, code, errOut)
		}
	}
}
