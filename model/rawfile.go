package model

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"strings"
	"sync"
	"time"
	"unsafe"
)

// rawAt says where an event's record is when it is not held in Raw: n
// bytes at off in a file, or under the event's id in a store, whose CRC-32C
// is sum, so that a record read back is known to be the one decoded.
type rawAt struct {
	home *recordHome
	off  int64
	n    uint32
	sum  uint32
}

// JSON returns the record exactly as it was read: Raw when it is held,
// else the bytes read back from the file the event was loaded from (see
// ReadFileEvents). The error is one line saying the file changed or went,
// never other bytes.
func (e *Event) JSON() (json.RawMessage, error) {
	if e.at.home == nil {
		return e.Raw, nil
	}
	return e.at.home.read(e.at, e.ID)
}

// RawLen is the length of the record in bytes, without reading it.
func (e *Event) RawLen() int {
	if e.at.home == nil {
		return len(e.Raw)
	}
	return int(e.at.n)
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// recordHome is where events keep their records: a regular file, or a
// store (r). A file's size and time of last change when it was opened are
// checked on every read, and each record's checksum after it, so a file
// changed or cut short under us is said to be, not shown. (The file is read
// with ReadAt rather than mapped: a mapping of a file cut short faults.)
type recordHome struct {
	r    RecordReader
	f    *os.File
	name string
	base int64 // where reading started: stdin may be a file read part way
	size int64
	mod  time.Time
}

// newRawFile returns f as a recordHome when it is a regular file, else nil
// (a pipe or a terminal cannot be read again).
func newRawFile(f *os.File, name string) *recordHome {
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		return nil
	}
	base, err := f.Seek(0, io.SeekCurrent)
	if err != nil {
		return nil
	}
	return &recordHome{f: f, name: name, base: base, size: fi.Size(), mod: fi.ModTime()}
}

func (rf *recordHome) read(at rawAt, id string) (json.RawMessage, error) {
	if rf.r != nil {
		b, err := rf.r.Record(context.Background(), id)
		switch {
		case err != nil:
			return nil, fmt.Errorf("cannot read event %s back from %s: %w", id, rf.name, err)
		case len(b) != int(at.n) || crc32.Checksum(b, castagnoli) != at.sum:
			return nil, fmt.Errorf("the store %s changed since event %s was loaded: open it again", rf.name, id)
		}
		return b, nil
	}
	changed := fmt.Errorf("%s changed since it was loaded: event %s cannot be read back; open the file again", rf.name, id)
	fi, err := rf.f.Stat()
	if err != nil {
		return nil, fmt.Errorf("cannot read event %s back from %s: %w", id, rf.name, errors.Unwrap(err))
	}
	if fi.Size() != rf.size || !fi.ModTime().Equal(rf.mod) {
		return nil, changed
	}
	b := make([]byte, at.n)
	if _, err := rf.f.ReadAt(b, at.off); err != nil {
		if err == io.EOF {
			return nil, changed
		}
		return nil, fmt.Errorf("cannot read event %s back from %s: %w", id, rf.name, errors.Unwrap(err))
	}
	if crc32.Checksum(b, castagnoli) != at.sum {
		return nil, changed
	}
	return b, nil
}

// ReadFileEvents is ReadEventsContext over an opened file. When f is a
// regular file read as UTF-8, each event keeps only where its record is in
// f, not the record: Raw is nil and JSON reads it back, so memory holds the
// decoded fields (their repeated strings once) and not the file. f must
// stay open while the events are used. Anything else (a pipe, UTF-16) is
// held as ReadEventsContext holds it.
func ReadFileEvents(ctx context.Context, f *os.File, name string) (events []Event, skipped []RecordError, err error) {
	return readAll(newFileStream(ctx, f, name))
}

// newFileStream is NewEventStream over f whose events leave their records
// in f when it is a regular file.
func newFileStream(ctx context.Context, f *os.File, name string) *EventStream {
	file := newRawFile(f, name) // before reading moves the offset
	st := NewEventStream(ctx, f)
	st.file = file
	return st
}

// RecordReader reads an event's record back by the event's id from where
// it is kept, such as a store.
type RecordReader interface {
	Record(ctx context.Context, id string) ([]byte, error)
}

// RecordKeeper has events leave their records in a RecordReader that holds
// them, so that a browser of a store holds the decoded fields only.
type RecordKeeper struct {
	home *recordHome
	in   *interner
}

// KeepRecordsIn returns a RecordKeeper for r, named name in messages.
func KeepRecordsIn(name string, r RecordReader) *RecordKeeper {
	return &RecordKeeper{home: &recordHome{r: r, name: name}, in: newInterner()}
}

// Leave makes events, which r holds under their ids, read their records
// back from r (see Event.JSON) and hold none, nor anything of the memory
// they were decoded from.
func (k *RecordKeeper) Leave(events []Event) { k.in.detach(events, nil, 0, k.home) }

// interner keeps one copy of the strings and actors that repeat across a
// file's events (types, people, addresses, browsers, projects), shared by
// the goroutines that decode its chunks. It stops growing at maxInterned
// values of a kind; past that, values are copied, not shared.
type interner struct {
	mu       sync.Mutex
	strs     map[string]string
	sessions map[Session]*Session
	keys     map[APIKeyActor]*APIKeyActor
}

const maxInterned = 1 << 16

func newInterner() *interner {
	return &interner{strs: map[string]string{}, sessions: map[Session]*Session{}, keys: map[APIKeyActor]*APIKeyActor{}}
}

// str returns s in memory of its own, shared with every equal string.
func (in *interner) str(s string) string {
	if s == "" {
		return ""
	}
	if v, ok := in.strs[s]; ok {
		return v
	}
	v := strings.Clone(s)
	if len(in.strs) < maxInterned {
		in.strs[v] = v
	}
	return v
}

func (in *interner) user(u User) User { return User{ID: in.str(u.ID), Email: in.str(u.Email)} }

func (in *interner) session(s *Session) *Session {
	if v, ok := in.sessions[*s]; ok {
		return v
	}
	l := s.Location
	v := &Session{User: in.user(s.User), IPAddress: in.str(s.IPAddress), UserAgent: in.str(s.UserAgent),
		JA3: in.str(s.JA3), JA4: in.str(s.JA4), Location: Location{
			Country: in.str(l.Country), City: in.str(l.City), Region: in.str(l.Region), RegionCode: in.str(l.RegionCode),
			ASN: in.str(l.ASN), Latitude: in.str(l.Latitude), Longitude: in.str(l.Longitude)}}
	if len(in.sessions) < maxInterned {
		in.sessions[*v] = v
	}
	return v
}

func (in *interner) apiKey(k *APIKeyActor) *APIKeyActor {
	if v, ok := in.keys[*k]; ok {
		return v
	}
	v := &APIKeyActor{ID: in.str(k.ID), Type: in.str(k.Type), User: in.user(k.User), ServiceAccountID: in.str(k.ServiceAccountID)}
	if len(in.keys) < maxInterned {
		in.keys[*v] = v
	}
	return v
}

// detach makes the events decoded from chunk, which starts at offset off
// of the file home, independent of chunk: the record stays in the file,
// the ids and payloads are copied into one block for the chunk, and the
// rest is shared through the interner. chunk can then be freed. A store
// has no chunk: its records are found by id.
func (in *interner) detach(events []Event, chunk []byte, off int64, home *recordHome) {
	size := 0
	for i := range events {
		size += len(events[i].ID) + len(events[i].Payload)
	}
	block := make([]byte, 0, size)
	base := uintptr(unsafe.Pointer(unsafe.SliceData(chunk)))
	in.mu.Lock()
	defer in.mu.Unlock()
	for i := range events {
		e := &events[i]
		if e.at.home != nil {
			continue // already left
		}
		e.at = rawAt{home: home, n: uint32(len(e.Raw)), sum: crc32.Checksum(e.Raw, castagnoli)}
		if chunk != nil {
			e.at.off = home.base + off + int64(uintptr(unsafe.Pointer(unsafe.SliceData(e.Raw)))-base)
		}
		e.Raw = nil
		at := len(block)
		block = append(block, e.ID...)
		e.ID = unsafe.String(unsafe.SliceData(block[at:]), len(e.ID))
		if e.Payload != nil {
			at = len(block)
			block = append(block, e.Payload...)
			e.Payload = block[at:len(block):len(block)]
		}
		e.Type = in.str(e.Type)
		e.Project = Project{ID: in.str(e.Project.ID), Name: in.str(e.Project.Name)}
		e.Actor.Kind = ActorKind(in.str(string(e.Actor.Kind)))
		if e.Actor.Session != nil {
			e.Actor.Session = in.session(e.Actor.Session)
		}
		if e.Actor.APIKey != nil {
			e.Actor.APIKey = in.apiKey(e.Actor.APIKey)
		}
	}
}
