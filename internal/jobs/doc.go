// Package jobs holds Boussole's scheduled jobs (DESIGN §9), one per file,
// each a scheduler.Job:
//
//   - Purge ("purge"): every key of the bot gets an expiry if it has none;
//   - WeeklyReport ("weekly-report"): the previous week's anonymous figures,
//     charts and CSV, sent to the admins;
//   - VerifyServices ("verify-services"): the services of the directory to
//     verify again, sent to the admins.
//
// Register adds them to a scheduler on their default schedules, which the
// environment can change (see the Default* constants). The jobs depend on
// small interfaces declared here, never on the Telegram client.
package jobs
