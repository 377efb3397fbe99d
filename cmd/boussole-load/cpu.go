package main

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"time"
)

// cpuTimes is a process's CPU time so far, all threads.
type cpuTimes struct{ user, sys time.Duration }

// clockTick is USER_HZ, 100 on every Linux /proc.
const clockTick = time.Second / 100

// procCPU reads utime and stime of pid from /proc/<pid>/stat.
func procCPU(pid int) (cpuTimes, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return cpuTimes{}, err
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')') // the command name may hold spaces
	if i < 0 {
		return cpuTimes{}, errors.New("unreadable /proc stat")
	}
	f := strings.Fields(s[i+1:])
	// f[0] is field 3 (state); utime and stime are fields 14 and 15.
	if len(f) < 13 {
		return cpuTimes{}, errors.New("short /proc stat")
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return cpuTimes{}, errors.New("unreadable /proc stat times")
	}
	return cpuTimes{user: time.Duration(ut) * clockTick, sys: time.Duration(st) * clockTick}, nil
}
