package fakeapi

import "strconv"

// Hostile strings: what a terminal program must never pass through raw.
const (
	// HostileUserAgent clears the screen, recolours, sets the window title
	// (OSC 0), plants a hyperlink (OSC 8), asks for the cursor position, and
	// carries C0 controls (NUL, BS, DEL, CR, LF) and C1 controls (CSI, NEL,
	// OSC, ST) as code points.
	HostileUserAgent = "Mozilla/5.0 \x1b[2J\x1b[H\x1b[1;31mYOUR SESSION EXPIRED\x1b[0m \x1b]0;auditui pwned\x07 " +
		"\x1b]8;;https://evil.example/\x1b\\click here\x1b]8;;\x1b\\ \x1b[6n\x00\x08\x7f\r\nforged line \u009b31m\u0085\u009d2;title\u009c"
	// HostileProjectName hides text with colours, moves the cursor up and
	// erases the line, and ends with a right-to-left mark.
	HostileProjectName = "Red team \x1b[41m\x1b[30m ALERT \x1b[0m\r\n\x1b[1A\x1b[2KInternal tools\u009b0m\u200f"
	// HostileEmail reverses what follows it on screen (U+202E RIGHT-TO-LEFT OVERRIDE).
	HostileEmail = "ops\u202elpmaxe.live@acme-robotics.example"
	// HostileUnknownType is an event type no catalogue knows.
	HostileUnknownType = "future.thing.happened"
	// HostileCJKEmail and HostileCJKGroup are wide characters for column maths.
	HostileCJKEmail = "李小龍@acme-robotics.example"
	HostileCJKGroup = "研究開発チーム・データ基盤 🧪"
	// HostileCombiningName has zero-width characters and stacked combining marks.
	HostileCombiningName = "ca\u200bcert\u200d-e\u0301\u0301\u0301\u0301-\ufeffprod"
	// LongStringLength is the length in characters of the long hostile string.
	LongStringLength = 5000
)

var hostileProject = project{"proj_Hx0stile9ESCz7Ctrl4Seq", HostileProjectName}

// LongString is the 5,000-character description in the hostile records.
var LongString = func() string {
	unit := []rune("We build helpful robots 🤖 and 安全な AI; ")
	out := make([]rune, 0, LongStringLength)
	for len(out) < LongStringLength {
		out = append(out, unit...)
	}
	return string(out[:LongStringLength])
}()

// hostileRecords are written in order at hostilePositions.
var hostileRecords = []func(g *gen){
	func(g *gen) { // escape sequences in a user agent
		a := g.session(0)
		a.minimal = false
		a.agent = agent{HostileUserAgent, "00000000000000000000000000000000", "t00d0000h0_000000000000_000000000000"}
		g.beginWith("login.succeeded", a, nil)
	},
	func(g *gen) { // escape sequences in a project name
		g.beginWith("project.updated", g.session(0), &hostileProject)
		g.w.field("id", hostileProject.id)
		g.w.key("changes_requested")
		g.w.open()
		g.w.field("title", HostileProjectName)
		g.w.close()
	},
	func(g *gen) { // a right-to-left override in the actor's email
		a := g.session(4)
		a.email = HostileEmail
		g.beginWith("login.failed", a, nil)
		g.w.field("error_code", "invalid_credentials")
		g.w.field("error_message", "Wrong email or password.")
	},
	func(g *gen) { // a 5,000-character string
		g.beginWith("organization.updated", g.session(0), nil)
		g.w.field("id", orgID)
		g.w.key("changes_requested")
		g.w.open()
		g.w.field("description", LongString)
		g.w.close()
	},
	func(g *gen) { // CJK group name
		g.beginWith("group.created", g.session(3), nil)
		g.w.field("id", "group_CJKwide0Names1Here2Ok")
		g.w.key("data")
		g.w.open()
		g.w.field("group_name", HostileCJKGroup)
		g.w.close()
	},
	func(g *gen) { // CJK email
		g.beginWith("invite.sent", g.session(2), nil)
		g.w.field("id", "invite-CJKwide0Email1Here2Ok3x")
		g.w.key("data")
		g.w.open()
		g.w.field("email", HostileCJKEmail)
		g.w.field("role", "member")
		g.w.close()
	},
	func(g *gen) { // a null actor
		g.beginWith("user.deleted", actor{kind: actNull}, nil)
		g.w.field("id", people[11].id)
	},
	func(g *gen) { // a missing project on a project-scoped type
		g.beginWith("api_key.created", g.session(1), nil)
		g.w.field("id", "key_NoProjectHostile1")
		g.w.key("data")
		g.w.open()
		g.w.strings("scopes", []string{"api.model.read"})
		g.w.close()
	},
	func(g *gen) { // an unknown event type with a nested payload
		g.beginWith(HostileUnknownType, g.session(6), &projects[1])
		w := &g.w
		w.field("id", "thing_F7uture0Type1Nested")
		w.key("nested")
		w.open()
		w.key("level1")
		w.open()
		w.key("level2")
		w.open()
		w.key("values")
		w.openArray()
		w.int(1)
		w.float(2.5)
		w.open()
		w.key("deep")
		w.bool(true)
		w.close()
		w.null()
		w.closeArray()
		w.key("note")
		w.null()
		w.close()
		w.close()
		w.close()
	},
	func(g *gen) { // zero-width and combining characters
		g.beginWith("certificate.created", g.session(0), nil)
		g.w.field("id", "cert_ZeroWidth0Combining1x")
		g.w.field("name", HostileCombiningName)
	},
	func(g *gen) { // an actor of a kind the spec doesn't list
		g.beginWith("tunnel.created", actor{kind: actUnknown}, nil)
		g.w.field("id", "tunnel_Robot0Actor1Kind2x")
	},
	func(g *gen) { // a very large payload
		g.beginWith("ip_allowlist.updated", g.session(6), nil)
		w := &g.w
		w.field("id", "ipal_Huge0Allow1List2Here3x")
		w.key("allowed_ips")
		w.openArray()
		for i := range 300 {
			prefix := "198.51.100."
			if i >= 256 {
				prefix = "203.0.113."
			}
			w.str(prefix + strconv.Itoa(i%256) + "/32")
		}
		w.closeArray()
	},
}

func (g *gen) hostileRecord(h int) {
	hostileRecords[h](g)
	g.end()
}

// incidentVictims are the people the incident's attempts target.
var incidentVictims = []int{1, 3, 6, 9, 10}

// incident writes the burst's record at offset o from its newest end:
// failed sign-ins, then one that succeeds, the key it makes, an allow-list
// in response and the key's deletion.
func (g *gen) incident(o int) {
	w := &g.w
	attacker := func(who int) actor {
		a := actor{kind: actSession, who: who, email: people[who].email, userID: people[who].id, loc: foreignLocations[0], agent: attackerAgent}
		return a
	}
	switch o {
	case 3:
		g.beginWith("login.succeeded", attacker(1), nil)
	case 2:
		g.attackerKey = g.id("key_", 16)
		g.beginWith("api_key.created", attacker(1), &projects[2])
		w.field("id", g.attackerKey)
		w.key("data")
		w.open()
		w.strings("scopes", []string{"api.model.read", "api.model.request", "api.files.read", "api.files.write"})
		w.close()
	case 1:
		g.beginWith("ip_allowlist.created", g.session(0), nil)
		w.field("id", g.id("ipal_", 24))
		w.field("name", "Incident lockdown")
		w.strings("allowed_ips", []string{"203.0.113.0/24", "192.0.2.0/24", "2001:db8:4f1a::/48"})
	case 0:
		g.beginWith("api_key.deleted", g.session(0), &projects[2])
		w.field("id", g.attackerKey)
	default:
		a := attacker(pick(&g.r, incidentVictims))
		if g.r.chance(0.4) {
			a.loc = pick(&g.r, foreignLocations[1:])
		}
		g.beginWith("login.failed", a, nil)
		code, msg := "invalid_credentials", "Wrong email or password."
		if g.r.chance(0.1) {
			code, msg = "account_locked", "Too many failed attempts. Try again in 15 minutes."
		}
		w.field("error_code", code)
		w.field("error_message", msg)
	}
	g.end()
}
