package telegram

import (
	"net/http"
	"time"
)

// NewTransport is the HTTP transport of a Client built without one: wrap
// it (metrics) and pass it to NewClient in an http.Client.
func NewTransport() *http.Transport {
	return &http.Transport{
		MaxIdleConnsPerHost: 64,
		MaxConnsPerHost:     64, // bursts wait for a connection rather than open (and drop) hundreds
		IdleConnTimeout:     90 * time.Second,
	}
}
