package main

import (
	"os/exec"
	"runtime"
	"syscall"
)

// runNiced runs cmd at the lowest CPU priority (nice 19) and waits for it.
// Linux keeps a priority per thread, and a child inherits the priority of
// the thread that starts it: a goroutine locked to a thread of its own
// lowers that thread's priority, starts the child from it and waits there.
// It never unlocks, so the thread ends with it (an unprivileged process
// cannot raise a priority back). The child is killed if this thread ends
// first, which is when factbot dies (Pdeathsig).
//
// The goroutine may have been put on the process's main thread, whose
// priority is the one the system reports for the process, and which Go
// does not end but parks for good when its goroutine exits locked: then it
// keeps that thread locked, so that a goroutine it starts runs on another,
// lets that one do the work, and unlocks the main thread untouched.
func runNiced(cmd *exec.Cmd) error {
	done := make(chan error, 1)
	var run func()
	run = func() {
		runtime.LockOSThread()
		if syscall.Gettid() == syscall.Getpid() {
			ran := make(chan struct{})
			go func() {
				defer close(ran)
				run()
			}()
			<-ran
			runtime.UnlockOSThread()
			return
		}
		// Best effort: where lowering the priority is refused, the child
		// still builds with one core.
		_ = syscall.Setpriority(syscall.PRIO_PROCESS, 0, 19) // 0: this thread
		if cmd.SysProcAttr == nil {
			cmd.SysProcAttr = &syscall.SysProcAttr{}
		}
		cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
		done <- cmd.Run()
	}
	go run()
	return <-done
}
