package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"testing"
	"time"
)

// A program that writes one question and waits for its answer before
// writing the next gets each answer at once: ask's buffered output is
// flushed before it waits for input.
func TestAskJSONInteractive(t *testing.T) {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- Main(context.Background(), []string{"ask", "--json"}, inR, outW, io.Discard)
		outW.Close()
	}()
	answers := bufio.NewReader(outR)
	for _, q := range []string{"How many Chinese companies operate in Kazakhstan?", "What is the weather in Paris?"} {
		if _, err := io.WriteString(inW, q+"\n"); err != nil {
			t.Fatal(err)
		}
		line := make(chan string, 1)
		go func() {
			s, _ := answers.ReadString('\n')
			line <- s
		}()
		select {
		case s := <-line:
			var a jsonAnswer
			if err := json.Unmarshal([]byte(s), &a); err != nil || a.Question != q {
				t.Fatalf("answer to %q = %q (%v)", q, s, err)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("no answer to %q while ask waits for the next line", q)
		}
	}
	inW.Close()
	if code := <-done; code != 0 {
		t.Errorf("exit %d", code)
	}
}
