package redisstore

import (
	"strings"
	"testing"
)

// Codes: three characters without look-alikes, a bijection of the id
// modulo the code space, keyed.
func TestDeskCodes(t *testing.T) {
	c := newDeskCoder([]byte("key one"))
	seen := make(map[string]int64, codeSpace)
	for id := int64(1); id <= int64(codeSpace); id++ {
		code := c.code(id)
		if len(code) != 3 || strings.ContainsAny(code, "0O1IL") {
			t.Fatalf("code %q of %d", code, id)
		}
		for _, r := range code {
			if !strings.ContainsRune(codeAlphabet, r) {
				t.Fatalf("code %q of %d out of the alphabet", code, id)
			}
		}
		if prev, ok := seen[code]; ok {
			t.Fatalf("code %s of %d and %d", code, prev, id)
		}
		seen[code] = id
	}
	if c.code(5) != c.code(5+int64(codeSpace)) {
		t.Fatal("the code is not a function of the id modulo the code space")
	}
	// Consecutive ids do not give neighbouring codes, and another key gives
	// other codes.
	other := newDeskCoder([]byte("key two"))
	same, neighbours := 0, 0
	for id := int64(1); id <= 1000; id++ {
		if c.code(id) == other.code(id) {
			same++
		}
		if a, b := c.code(id), c.code(id+1); a[:2] == b[:2] {
			neighbours++
		}
	}
	if same > 5 || neighbours > 100 {
		t.Fatalf("%d codes the same under two keys, %d consecutive ids share two characters", same, neighbours)
	}
	t.Logf("codes of 1..5: %s %s %s %s %s", c.code(1), c.code(2), c.code(3), c.code(4), c.code(5))
}
