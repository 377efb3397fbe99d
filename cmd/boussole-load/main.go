// Command boussole-load measures the Telegram runtime under load: the bot's
// CPU time per step, steps per second at saturation, the latency from an
// update to its reply at a fixed rate, Redis round trips and Bot API calls
// per step, and Redis bytes per idle conversation.
//
// It starts the fake Bot API (internal/telegramtest) on 127.0.0.1, starts the
// bot as a separate process pinned to one core (GOMAXPROCS=1, taskset), and
// plays families who /start and then tap the buttons of the bot's last
// message. Everything is bounded in time; the tool stops by itself.
//
//	go run ./cmd/boussole-load -rate 500 -duration 20s -runs 3
//	go run ./cmd/boussole-load -rate 0 -inflight 64 -duration 15s -runs 3
//	go run ./cmd/boussole-load -rate 0 -runs 1 -cpuprofile bot.pprof -perf bot.perf
//	go run ./cmd/boussole-load perf-buckets bot.perf
//	go run ./cmd/boussole-load surge -families 2000 -over 60s -policy first -replicas 1
//	go run ./cmd/boussole-load relay -conversations 50 -duration 30s -runs 3
//
// See docs/perf.md, "Telegram runtime" and "Volunteer relay".
package main

import "os"

func main() {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "bot":
			os.Exit(runBotRole(os.Args[2:]))
		case "surge":
			os.Exit(runSurge(os.Args[2:]))
		case "relay":
			os.Exit(runRelay(os.Args[2:]))
		case "surge-bot":
			os.Exit(runSurgeBotRole(os.Args[2:]))
		case "perf-buckets":
			os.Exit(runBuckets(os.Args[2:]))
		}
	}
	os.Exit(runDriver(os.Args[1:]))
}
