package web

import (
	"net/http"

	"unknot/internal/articles"
)

// routes is the one route table of the public side: every page and API
// route a visitor, a person with a private link or an API client reaches.
// The staff desk has its own table (desk.go), each route with the role it
// needs; nothing that shows a client's health data to staff is here.
// Every write goes through the per-client write limit (limitWrites).
func (s *Server) routes(mux *http.ServeMux) {
	write := func(h http.HandlerFunc) http.Handler { return s.limitWrites(h) }
	signups, saveLinks := s.newSignups(), s.newSaveLinks()

	// The site itself.
	mux.Handle("GET /static/", staticAssets)           // only the files, never a listing (assets.go)
	mux.HandleFunc("GET /plan/sw.js", s.serviceWorker) // the routine offline (sw.go)
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /{$}", s.home)
	mux.HandleFunc("/", s.notFound)
	mux.HandleFunc("GET /about", s.about)
	mux.HandleFunc("GET /privacy", s.privacy)

	// The exercise library (exercises.go).
	mux.HandleFunc("GET /exercises", s.exercisesPage)
	mux.HandleFunc("GET /exercises/{file}", s.exerciseFile)
	mux.HandleFunc("GET /api/v1/exercises", s.apiExercises)
	mux.HandleFunc("GET /api/v1/exercises/{id}", s.apiExercise)

	// The self-check and its saved result, the plan (check.go).
	mux.HandleFunc("GET /check", s.checkForm)
	mux.Handle("POST /check", write(s.checkStep))
	mux.Handle("POST /check/restart", write(s.checkRestart))
	mux.HandleFunc("GET /plan/{token}", s.plan)
	mux.Handle("POST /api/v1/assessments", write(s.apiCreateAssessment))

	// The diary, re-checks, settings, download and delete (diary.go,
	// recheck.go, privacy.go) and the plan's API (diary_api.go).
	mux.HandleFunc("GET /plan/{token}/diary", s.diaryPage)
	mux.Handle("POST /plan/{token}/diary", write(s.diaryAdd))
	mux.Handle("POST /plan/{token}/settings", write(s.diarySettings))
	mux.HandleFunc("GET /plan/{token}/recheck", s.recheckForm)
	mux.Handle("POST /plan/{token}/recheck", write(s.recheckSubmit))
	mux.HandleFunc("GET /plan/{token}/export.json", s.exportJSON)
	mux.HandleFunc("GET /plan/{token}/delete", s.deleteForm)
	mux.Handle("POST /plan/{token}/delete", write(s.deleteSubmit))
	mux.HandleFunc("GET /api/v1/plans/{token}", s.apiPlan)
	mux.HandleFunc("GET /api/v1/plans/{token}/entries", s.apiEntries)
	mux.Handle("POST /api/v1/plans/{token}/entries", write(s.apiAddEntry))

	// Today's guided routine (routine.go) and the plan's files (exports.go).
	mux.HandleFunc("GET /plan/{token}/today", s.today)
	mux.Handle("POST /plan/{token}/today/done", write(s.todayDone))
	mux.HandleFunc("GET /plan/{token}/handout.pdf", s.handoutPDF)
	mux.HandleFunc("GET /plan/{token}/progress.pdf", s.progressPDF)
	mux.HandleFunc("GET /plan/{token}/diary.csv", s.diaryCSV)
	mux.HandleFunc("GET /plan/{token}/calendar.ics", s.calendarICS)
	mux.HandleFunc("GET /plan/{token}/calendar", s.calendarPage)

	// Outcomes: the person's scores, on the plan and before a visit
	// (outcomes.go).
	mux.HandleFunc("GET /plan/{token}/outcomes", s.outcomesPage)
	mux.Handle("POST /plan/{token}/outcomes", write(s.outcomesSubmit))
	mux.Handle("POST /bookings/{token}/outcomes", write(s.visitOutcomeSubmit))
	mux.HandleFunc("GET /api/v1/plans/{token}/outcomes", s.apiOutcomes)
	mux.Handle("POST /api/v1/plans/{token}/outcomes", write(s.apiAddOutcome))

	// Reminders the person chooses (remind.go, remind_api.go).
	mux.HandleFunc("GET /plan/{token}/reminders", s.reminderSettings)
	mux.Handle("POST /plan/{token}/reminders", write(s.saveReminder))
	mux.Handle("POST /plan/{token}/reminders/delete", write(s.deleteReminder))
	mux.HandleFunc("GET /reminders/{token}", s.reminderFromMail)
	mux.Handle("POST /reminders/{token}/unsubscribe", write(s.unsubscribeReminder))
	mux.HandleFunc("GET /api/v1/plans/{token}/reminders", s.apiReminders)
	mux.Handle("PUT /api/v1/plans/{token}/reminders", write(s.apiSetReminders))
	mux.Handle("DELETE /api/v1/plans/{token}/reminders", write(s.apiDeleteReminders))

	// Never lose the plan: its link by email, as a QR code (savelink.go).
	mux.HandleFunc("GET /plan/{token}/email", saveLinks.form)
	mux.Handle("POST /plan/{token}/email", write(saveLinks.send))
	mux.HandleFunc("GET /plan/{token}/qr.svg", saveLinks.qr)
	mux.Handle("POST /api/v1/plans/{token}/email", write(saveLinks.api))

	// Sharing with the clinic ends from the plan (share.go).
	mux.Handle("POST /plan/{token}/share/withdraw", write(s.withdrawShare))

	// The clinic and booking: pages (clinic_pages.go, booking_pages.go)
	// and API (booking_api.go). With a self-check attached, its private
	// link travels in the form body of POST /book, never in an address.
	mux.HandleFunc("GET /clinic", s.clinicPage)
	mux.HandleFunc("GET /clinic/therapists/{id}", s.therapistPage)
	mux.HandleFunc("GET /book", s.bookStep)
	mux.HandleFunc("POST /book", s.bookStep)
	mux.Handle("POST /bookings", write(s.bookSubmit))
	mux.HandleFunc("GET /bookings/{token}", s.bookingPage)
	mux.HandleFunc("GET /bookings/{token}/"+inviteFile, s.bookingInvite)
	mux.HandleFunc("GET /bookings/{token}/reschedule", s.moveStep)
	mux.Handle("POST /bookings/{token}/reschedule", write(s.moveSubmit))
	mux.HandleFunc("GET /bookings/{token}/cancel", s.cancelStep)
	mux.Handle("POST /bookings/{token}/cancel", write(s.cancelSubmit))
	mux.HandleFunc("GET /bookings/{token}/export.json", s.visitExportJSON)
	mux.HandleFunc("GET /bookings/{token}/delete", s.visitDeleteForm)
	mux.Handle("POST /bookings/{token}/delete", write(s.visitDeleteSubmit))
	mux.HandleFunc("GET /api/v1/slots", s.apiSlots)
	mux.Handle("POST /api/v1/bookings", write(s.apiBook))
	mux.HandleFunc("GET /api/v1/bookings/{token}", s.apiBooking)
	mux.Handle("POST /api/v1/bookings/{token}/reschedule", write(s.apiReschedule))
	mux.Handle("POST /api/v1/bookings/{token}/cancel", write(s.apiCancel))
	// A therapist's private calendar feed: the secret link is the key
	// (desk_day.go).
	mux.HandleFunc("GET /feeds/{token}/visits.ics", s.visitFeed)

	// The free report's double opt-in (subscribe.go, confirm.go).
	mux.HandleFunc("GET /subscribe", signups.form)
	mux.Handle("POST /subscribe", write(signups.submit))
	mux.Handle("POST /api/v1/subscribers", write(signups.api))
	mux.HandleFunc("GET /s/{token}/confirm", signups.confirmForm)
	mux.Handle("POST /s/{token}/confirm", write(signups.confirm))
	mux.HandleFunc("GET /s/{token}", signups.manage)
	mux.HandleFunc("GET /s/{token}/report.pdf", signups.download)
	mux.HandleFunc("GET /s/{token}/export.json", signups.export)
	mux.HandleFunc("GET /s/{token}/unsubscribe", signups.manage)
	mux.Handle("POST /s/{token}/unsubscribe", write(signups.unsubscribe))
	mux.HandleFunc("GET /s/{token}/delete", signups.deleteForm)
	mux.Handle("POST /s/{token}/delete", write(signups.delete))
	if s.cfg.Mail.DevMailbox {
		// Where mail lands without an SMTP server (mailbox.go).
		mux.HandleFunc("GET /dev/mailbox", s.mailbox)
		mux.HandleFunc("GET /dev/mailbox/{id}", s.mailboxMessage)
		mux.HandleFunc("GET /dev/mailbox/{id}/html", s.mailboxHTML)
		mux.HandleFunc("GET /dev/mailbox/{id}/attachments/{n}", s.mailboxAttachment)
	}

	// Articles, their feedback and comments (articles*.go).
	mux.HandleFunc("GET /articles", s.articleIndex)
	mux.HandleFunc("GET /articles/{slug}", s.article)
	mux.HandleFunc("GET /articles/tag/{tag}", s.articleTag)
	mux.HandleFunc("GET "+articles.FeedPath, s.articleFeed)
	mux.HandleFunc("GET /sitemap.xml", s.sitemap)
	mux.HandleFunc("GET /robots.txt", s.robots)
	mux.Handle("POST /articles/{slug}/feedback", write(s.postFeedback))
	mux.Handle("POST /articles/{slug}/comments", write(s.postComment))
	mux.HandleFunc("GET /comments/notify/{token}", s.confirmCommentNotify)
	mux.HandleFunc("GET /comments/unsubscribe/{token}", s.unsubscribeCommentForm)
	mux.Handle("POST /comments/unsubscribe/{token}", write(s.unsubscribeComment))

	// Staff sign-in and invitation links (accounts.go): public pages that
	// lead into the desk.
	mux.Handle("GET /staff/login", s.withSession(http.HandlerFunc(s.loginForm)))
	mux.Handle("POST /staff/login", s.withSession(http.HandlerFunc(s.login)))
	mux.Handle("POST /staff/logout", s.withSession(http.HandlerFunc(s.logout)))
	mux.Handle("GET /staff/welcome/{token}", s.withSession(http.HandlerFunc(s.welcomeForm)))
	mux.Handle("POST /staff/welcome/{token}", s.withSession(http.HandlerFunc(s.welcome)))
}
