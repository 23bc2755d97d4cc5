package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"
)

// postLoopback sends one HTTP/1.0 POST to the control endpoint and reads the answer.
//
// Not net/http: importing it initialises crypto/tls, x509 and HTTP/2 tables, ~15 ms before main
// runs on a practice PC, most of this program's whole cost. One request to 127.0.0.1 needs none
// of it. HTTP/1.0 so the answer ends with the connection (no chunked body, no keep-alive); a
// chunked or sized answer is still read correctly.
func postLoopback(controlURL, path string, headers map[string]string, body []byte, timeout time.Duration) (int, []byte, error) {
	hostPort := strings.TrimPrefix(controlURL, "http://")
	conn, err := net.DialTimeout("tcp", hostPort, 2*time.Second)
	if err != nil {
		return 0, nil, &dialError{err}
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(timeout))
	var req strings.Builder
	fmt.Fprintf(&req, "POST %s HTTP/1.0\r\nHost: %s\r\nContent-Length: %d\r\n", path, hostPort, len(body))
	for k, v := range headers {
		fmt.Fprintf(&req, "%s: %s\r\n", k, v)
	}
	req.WriteString("\r\n")
	if _, err := conn.Write(append([]byte(req.String()), body...)); err != nil {
		return 0, nil, err
	}
	return readAnswer(bufio.NewReader(io.LimitReader(conn, maxAnswer+16*1024)))
}

type dialError struct{ err error }

func (e *dialError) Error() string { return e.err.Error() }

func readAnswer(r *bufio.Reader) (int, []byte, error) {
	statusLine, err := r.ReadString('\n')
	if err != nil {
		return 0, nil, err
	}
	parts := strings.SplitN(strings.TrimSpace(statusLine), " ", 3)
	if len(parts) < 2 || !strings.HasPrefix(parts[0], "HTTP/1.") {
		return 0, nil, errors.New("not an HTTP answer")
	}
	status, err := strconv.Atoi(parts[1])
	if err != nil {
		return 0, nil, errors.New("bad status")
	}
	length, chunked := -1, false
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return status, nil, err
		}
		line = strings.TrimSpace(line)
		if line == "" {
			break
		}
		name, value, _ := strings.Cut(line, ":")
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "content-length":
			if n, convErr := strconv.Atoi(strings.TrimSpace(value)); convErr == nil && n >= 0 {
				length = n
			}
		case "transfer-encoding":
			chunked = strings.Contains(strings.ToLower(value), "chunked")
		}
	}
	var body []byte
	switch {
	case chunked:
		body, err = readChunked(r)
	case length >= 0:
		body = make([]byte, length)
		_, err = io.ReadFull(r, body)
	default:
		body, err = io.ReadAll(r)
	}
	if len(body) > maxAnswer {
		return status, nil, errors.New("answer too large")
	}
	return status, body, err
}

func readChunked(r *bufio.Reader) ([]byte, error) {
	var body []byte
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return nil, err
		}
		sizeText, _, _ := strings.Cut(strings.TrimSpace(line), ";")
		size, err := strconv.ParseInt(sizeText, 16, 32)
		if err != nil || size < 0 || len(body)+int(size) > maxAnswer {
			return nil, errors.New("bad chunk")
		}
		if size == 0 {
			return body, nil
		}
		chunk := make([]byte, size+2) // the chunk and its CRLF
		if _, err := io.ReadFull(r, chunk); err != nil {
			return nil, err
		}
		body = append(body, chunk[:size]...)
	}
}
