package redisstore

import (
	"crypto/hmac"
	"crypto/sha256"
)

// A ticket's code is what volunteers call the person: three characters of
// an alphabet without look-alikes (no 0/O, 1/I/L). It is a keyed
// permutation of the ticket id modulo the code space, so the codes of
// codeSpace consecutive tickets never collide, and without the key a code
// says nothing of the order or number of tickets. It depends on the id
// only: never on the chat.
const codeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

const codeLen = 3

// codeSpace is how many codes there are: len(codeAlphabet)^codeLen.
const codeSpace = len(codeAlphabet) * len(codeAlphabet) * len(codeAlphabet)

// codeRounds is the number of Feistel rounds of the permutation.
const codeRounds = 4

// coder permutes [0, 65536) with a balanced Feistel network on two bytes,
// whose round functions are tables drawn from HMAC-SHA256 of the key, and
// walks the cycle until it lands in [0, codeSpace): a permutation of
// [0, codeSpace).
type deskCoder struct {
	round [codeRounds][256]byte
}

func newDeskCoder(key []byte) *deskCoder {
	c := &deskCoder{}
	for r := range codeRounds {
		mac := hmac.New(sha256.New, key)
		var block []byte
		for x := range 256 {
			if x%sha256.Size == 0 {
				mac.Reset()
				mac.Write([]byte{'r', byte(r), byte(x / sha256.Size)})
				block = mac.Sum(nil)
			}
			c.round[r][x] = block[x%sha256.Size]
		}
	}
	return c
}

// feistel is one pass of the network over 16 bits.
func (c *deskCoder) feistel(x int) int {
	l, r := byte(x>>8), byte(x)
	for i := range codeRounds {
		l, r = r, l^c.round[i][r]
	}
	return int(l)<<8 | int(r)
}

// permute maps [0, codeSpace) onto itself, one to one.
func (c *deskCoder) permute(x int) int {
	for {
		x = c.feistel(x)
		if x < codeSpace {
			return x
		}
	}
}

// code is the ticket's code.
func (c *deskCoder) code(id int64) string {
	x := int(((id % int64(codeSpace)) + int64(codeSpace)) % int64(codeSpace))
	x = c.permute(x)
	var b [codeLen]byte
	n := len(codeAlphabet)
	for i := codeLen - 1; i >= 0; i-- {
		b[i] = codeAlphabet[x%n]
		x /= n
	}
	return string(b[:])
}
