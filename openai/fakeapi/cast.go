package fakeapi

// The demo organisation's cast: people, places, user agents, projects,
// service accounts. It is the same for every seed (the seed varies what they
// do), and every address and IP is from a range reserved for documentation
// (.example, 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32).

const orgID = "org-7Hq2mXc9LbV4nTz8RkWp3JdY"

type location struct {
	ip, country, city, region, regionCode string
	asn                                   int
	lat, long                             float64
}

type agent struct {
	ua, ja3, ja4 string
}

type person struct {
	id, email, role string
	home, away      int // indexes into locations
	agent           int // usual browser, index into agents
	keyID           string
}

type project struct{ id, name string }

type serviceAccount struct {
	id, keyID string
	project   int
}

var locations = []location{
	{"203.0.113.24", "US", "San Francisco", "California", "CA", 7922, 37.7749, -122.4194},
	{"203.0.113.61", "GB", "London", "England", "ENG", 5089, 51.5072, -0.1276},
	{"203.0.113.90", "CN", "Shanghai", "Shanghai", "SH", 4812, 31.2304, 121.4737},
	{"203.0.113.117", "ES", "Madrid", "Community of Madrid", "MD", 3352, 40.4168, -3.7038},
	{"192.0.2.14", "DE", "Berlin", "Land Berlin", "BE", 3320, 52.52, 13.405},
	{"192.0.2.38", "IN", "Bengaluru", "Karnataka", "KA", 24560, 12.9716, 77.5946},
	{"2001:db8:4f1a::17", "US", "Seattle", "Washington", "WA", 20115, 47.6062, -122.3321},
	{"192.0.2.71", "AE", "Dubai", "Dubai", "DU", 5384, 25.2048, 55.2708},
	{"192.0.2.102", "JP", "Tokyo", "Tokyo", "13", 2516, 35.6762, 139.6503},
	{"192.0.2.140", "BR", "São Paulo", "São Paulo", "SP", 28573, -23.5558, -46.6396},
	{"198.51.100.12", "CA", "Toronto", "Ontario", "ON", 812, 43.6532, -79.3832},
	{"198.51.100.45", "CH", "Zürich", "Zurich", "ZH", 3303, 47.3769, 8.5417},
	{"198.51.100.201", "US", "New York", "New York", "NY", 7018, 40.7128, -74.006},
	{"2001:db8:77c0::5", "US", "Austin", "Texas", "TX", 11427, 30.2672, -97.7431},
}

// Addresses the incident's failed sign-ins come from.
var foreignLocations = []location{
	{"198.51.100.77", "NL", "Amsterdam", "North Holland", "NH", 60781, 52.3676, 4.9041},
	{"203.0.113.200", "VN", "Hanoi", "Hà Nội", "HN", 45899, 21.0278, 105.8342},
	{"192.0.2.66", "RO", "Bucharest", "București", "B", 9050, 44.4268, 26.1025},
	{"2001:db8:dead:beef::1", "US", "Ashburn", "Virginia", "VA", 14618, 39.0438, -77.4874},
}

var agents = []agent{
	{"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "cd08e31494f9531f560d64c695473da9", "t13d1516h2_8daaf6152771_02713d6af862"},
	{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0", "773906b0efdefa24a7f2b8eb6985bf37", "t13d1517h2_8daaf6152771_b0da82dd1658"},
	{"Mozilla/5.0 (Macintosh; Intel Mac OS X 14.6; rv:132.0) Gecko/20100101 Firefox/132.0", "579ccef312d18482fc42e2b822ca2430", "t13d1715h2_5b57614c22b0_3d5424432f57"},
	{"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15", "773906b0efdefa24a7f2b8eb6985bf37", "t13d2014h2_a09f3c656075_14788d8d241b"},
	{"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "cd08e31494f9531f560d64c695473da9", "t13d1516h2_8daaf6152771_e5627efa2ab1"},
	{"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1", "773906b0efdefa24a7f2b8eb6985bf37", "t13d2014h2_a09f3c656075_e42f34c56612"},
	// Command-line tools and SDKs.
	{"curl/8.7.1", "456523fc94726331a4d5a2e1d40b2cd7", "t13d3112h2_e8f1e7e78f70_b26ce05bbdd6"},
	{"python-requests/2.32.3", "8d9f7747675e24454cd9b7ed35c58707", "t13d5911h2_a33745022dd6_dbd39dd1d406"},
	{"OpenAI/Python 1.54.4", "8d9f7747675e24454cd9b7ed35c58707", "t13d5911h2_a33745022dd6_1f22a2ca17c4"},
	{"Go-http-client/2.0", "d2a1a5b2bc0e5a5b4c1f34d0a3d6a2f9", "t13d1312h2_f57a46bbacb6_ab7e3b40a677"},
}

// firstCLI is where command-line user agents start in agents.
const firstCLI = 6

// attackerAgent is what the incident's sign-in attempts send.
var attackerAgent = agent{"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/119.0.6045.105 Safari/537.36", "e7d705a3286e19ea42f587b344ee6865", "t13d1516h2_8daaf6152771_9b0b4d9d2c7a"}

var people = []person{
	{"user-Ak3f9QzR2mLx8VbN4cTw7YhP", "alice.nakamura@acme-robotics.example", "owner", 0, 12, 0, "key_aQ7vN2kLm9XcR4tB"},
	{"user-Bo8sK1eU5gHj3WqZ6dXa9MnC", "bob.okafor@acme-robotics.example", "member", 1, 1, 2, "key_bR3xP8wDk2LsQ7mV"},
	{"user-Cj6tN4rY8pFm2ZkQ1vBx5LwS", "陈静@acme-robotics.example", "member", 2, 2, 1, "key_cT5yM1nBq8RwX3zK"},
	{"user-Dm2gR7xW4kPn9VcL6bQz1HtJ", "maria.garcia@acme-robotics.example", "owner", 3, 3, 3, "key_dV9aK4sFp6NcW2hL"},
	{"user-Ep5vL9aZ3nQr6XtK2mWc8JyB", "lukas.schmidt@acme-robotics.example", "member", 4, 4, 4, "key_eW2bL7tGq3PdY8jM"},
	{"user-Fq1wM6bX9sRt4YuL3nZd7KaC", "priya.raman@acme-robotics.example", "member", 5, 5, 0, "key_fX6cM9uHr1QeZ4kN"},
	{"user-Gr4xN2cY7tSv8ZwM5pAe1LbD", "sam.lee@acme-robotics.example", "owner", 6, 13, 2, "key_gY1dN3vJs5RfA7mP"},
	{"user-Hs7yP5dZ1uTw3AxN9qBf4McE", "fatima.al-sayed@acme-robotics.example", "member", 7, 7, 5, "key_hZ4eP6wKt9SgB2nQ"},
	{"user-It9zQ8eA4vUx6ByP2rCg7NdF", "山田太郎@acme-robotics.example", "member", 8, 8, 1, "key_iA8fQ2xLu4ThC6pR"},
	{"user-Ju2aR1fB6wVy9CzQ5sDh3PeG", "joao.silva@acme-robotics.example", "member", 9, 9, 3, "key_jB3gR7yMv8UiD1qS"},
	{"user-Kv5bS4gC9xWz2DaR8tEi6QfH", "olivia.brown@acme-robotics.example", "member", 10, 10, 4, "key_kC7hS1zNw2VjE5rT"},
	{"user-Lw8cT7hD2yXa5EbS1uFj9RgI", "noah@contractor.example", "reader", 11, 11, 0, "key_lD2iT5aPx6WkF9sU"},
}

// The people who can change organisation settings (owners).
var owners = []int{0, 3, 6}

var projects = []project{
	{"proj_Dfq8Lz2NcX7vRk4WmT9bJ3aY", "Default project"},
	{"proj_Bt5wQ1mZ8xKc3VnL7rP2sHdG", "Beta research"},
	{"proj_Cs9vR4nA2yLd7WmK1tQ6xJeF", "Customer support bot"},
	{"proj_It3xS8pB6zMe1XnL5uR9yKfH", "Internal tools"},
	{"proj_Da7yT2qC9aNf4YoM8vS3zLgJ", "データ分析"},
	{"proj_Ev1zU6rD3bOg8ZpN2wT7aMhK", "Evaluation harness"},
	{"proj_Mo4aV9sE7cPh2AqO6xU1bNiL", "Mobile app"},
}

var serviceAccounts = []serviceAccount{
	{"svc_acct_Ci4dW8tF2dQi9BrP", "key_sA1jU8bQy3XlG6tV", 3}, // ci-deploy, Internal tools
	{"svc_acct_Ev7eX3uG6eRj1CsQ", "key_sB5kV2cRz7YmH9uW", 1}, // eval-runner, Beta research
	{"svc_acct_Sb2fY9vH1fSk5DtR", "key_sC8lW6dSa1ZnI3vX", 2}, // support-bot, Customer support bot
}

var scopeSets = [][]string{
	{"api.model.read"},
	{"api.model.request"},
	{"api.model.read", "api.model.request"},
	{"api.files.read", "api.files.write"},
	{"api.fine_tuning.jobs.read", "api.fine_tuning.jobs.write"},
	{"api.assistants.read", "api.threads.read", "api.threads.write"},
	{"api.vector_stores.read"},
}

var loginErrors = [][2]string{
	{"invalid_credentials", "Wrong email or password."},
	{"invalid_credentials", "Wrong email or password."},
	{"invalid_credentials", "Wrong email or password."},
	{"mfa_verification_failed", "The verification code is incorrect or has expired."},
	{"sso_required", "Your organization requires you to sign in with single sign-on."},
	{"account_locked", "Too many failed attempts. Try again in 15 minutes."},
}

var logoutErrors = [][2]string{
	{"session_not_found", "The session was already signed out."},
	{"csrf_token_invalid", "The request could not be verified. Reload the page and try again."},
}

var projectNames = []string{"Voice agent pilot", "Search relevance", "Robotics sim", "Partner sandbox", "顧客分析", "Realtime demo", "Red team 2024", "Docs assistant"}

var groupNames = []string{"Engineering", "Research", "Support", "Security", "数据科学团队", "Contractors"}

var certificateNames = []string{"acme-mtls-2024", "acme-mtls-2025", "partner-gateway", "ci-runner-cert"}

var ipAllowlistNames = []string{"Office networks", "VPN egress", "CI runners", "Incident lockdown"}

var roleNames = []string{"Billing viewer", "Model deployer", "Fine-tune operator", "Audit reader", "Support lead"}

var permissions = []string{"api.model.read", "api.model.request", "api.files.read", "api.files.write", "api.fine_tuning.jobs.write", "api.organization.read", "api.organization.audit_logs.read", "api.usage.read", "api.projects.write", "api.batch.write"}

var rateLimitModels = []string{"gpt-4o", "gpt-4o-mini", "o3-mini", "text-embedding-3-large", "dall-e-3", "whisper-1", "gpt-4.1"}

var connectorNames = []string{"Google Drive", "SharePoint", "GitHub", "Jira", "Confluence"}

const pemCertificate = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQx0qD8e2Yb3mTq2ZbT6dR7bX5dQwCgYIKoZIzj0EAwIw\nFzEVMBMGA1UEAwwMYWNtZS1tdGxzLWNhMB4XDTI0MDEwMTAwMDAwMFoXDTI2MDEw\nMTAwMDAwMFowFzEVMBMGA1UEAwwMYWNtZS1tdGxzLTI0MFkwEwYHKoZIzj0CAQYI\n-----END CERTIFICATE-----\n"
