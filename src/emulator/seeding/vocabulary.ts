/**
 * The word lists demo data is drawn from. Everything is fictional: company domains use the
 * reserved `.example` top-level domain and phone numbers the 555-01xx range, so nothing in a
 * demo workspace reaches a real person or organisation.
 */

/** Given names from many languages, so sorting and search see accents and varied lengths. */
export const FIRST_NAMES = [
  "Ada", "Alan", "Amara", "Ana", "Aoife", "Arjun", "Astrid", "Bea", "Björn", "Camille", "Carlos", "Chen",
  "Chloé", "Dalia", "Daniel", "Dmitri", "Elena", "Emeka", "Emma", "Farah", "Felix", "Fiona", "Grace",
  "Hana", "Hugo", "Ines", "Ivan", "Jamal", "Jana", "Jin", "Jonas", "Kai", "Kenji", "Lara", "Leila",
  "Liam", "Lucía", "Mateo", "Maya", "Mei", "Mohammed", "Nadia", "Niamh", "Nikolai", "Noah", "Olga",
  "Omar", "Oscar", "Priya", "Rafael", "Rosa", "Sakura", "Samir", "Sofia", "Søren", "Tariq", "Thea",
  "Tomás", "Uma", "Victor", "Wei", "Yara", "Yusuf", "Zoe",
] as const;

/** Family names, matching the spread of {@link FIRST_NAMES}. */
export const LAST_NAMES = [
  "Adeyemi", "Andersson", "Bauer", "Becker", "Brennan", "Castillo", "Chen", "Costa", "Dubois", "Dvořák",
  "Eriksen", "Fernández", "Fischer", "García", "Gupta", "Haddad", "Hansen", "Hoffmann", "Ivanova",
  "Jensen", "Kaur", "Kim", "Kowalski", "Larsen", "Lefebvre", "Lopez", "Mahmoud", "Martin", "Mendes",
  "Moreau", "Müller", "Murphy", "Nakamura", "Nguyen", "Novak", "O'Brien", "Okafor", "Olsen", "Park",
  "Patel", "Petrov", "Quinn", "Rossi", "Sato", "Schmidt", "Silva", "Singh", "Sokolov", "Suzuki",
  "Tanaka", "Thompson", "Torres", "Van Dijk", "Walsh", "Wang", "Weber", "Williams", "Yamamoto",
  "Yilmaz", "Zhang",
] as const;

/** A place with the fields Intercom's `location` carries, and a dialling prefix for phones. */
export interface Place {
  city: string;
  region: string;
  country: string;
  /** ISO 3166-1 alpha-3, as Intercom reports it. */
  countryCode: string;
  continentCode: string;
  dialPrefix: string;
  language: string;
}

/** Cities contacts are located in. */
export const PLACES: readonly Place[] = [
  { city: "San Francisco", region: "California", country: "United States", countryCode: "USA", continentCode: "NA", dialPrefix: "+1 415", language: "en" },
  { city: "New York", region: "New York", country: "United States", countryCode: "USA", continentCode: "NA", dialPrefix: "+1 212", language: "en" },
  { city: "Austin", region: "Texas", country: "United States", countryCode: "USA", continentCode: "NA", dialPrefix: "+1 512", language: "en" },
  { city: "Chicago", region: "Illinois", country: "United States", countryCode: "USA", continentCode: "NA", dialPrefix: "+1 312", language: "en" },
  { city: "Toronto", region: "Ontario", country: "Canada", countryCode: "CAN", continentCode: "NA", dialPrefix: "+1 416", language: "en" },
  { city: "Montreal", region: "Quebec", country: "Canada", countryCode: "CAN", continentCode: "NA", dialPrefix: "+1 514", language: "fr" },
  { city: "Mexico City", region: "Ciudad de México", country: "Mexico", countryCode: "MEX", continentCode: "NA", dialPrefix: "+52 55", language: "es" },
  { city: "São Paulo", region: "São Paulo", country: "Brazil", countryCode: "BRA", continentCode: "SA", dialPrefix: "+55 11", language: "pt" },
  { city: "Buenos Aires", region: "Buenos Aires", country: "Argentina", countryCode: "ARG", continentCode: "SA", dialPrefix: "+54 11", language: "es" },
  { city: "Dublin", region: "Dublin", country: "Ireland", countryCode: "IRL", continentCode: "EU", dialPrefix: "+353 1", language: "en" },
  { city: "London", region: "England", country: "United Kingdom", countryCode: "GBR", continentCode: "EU", dialPrefix: "+44 20", language: "en" },
  { city: "Paris", region: "Île-de-France", country: "France", countryCode: "FRA", continentCode: "EU", dialPrefix: "+33 1", language: "fr" },
  { city: "Berlin", region: "Berlin", country: "Germany", countryCode: "DEU", continentCode: "EU", dialPrefix: "+49 30", language: "de" },
  { city: "Madrid", region: "Comunidad de Madrid", country: "Spain", countryCode: "ESP", continentCode: "EU", dialPrefix: "+34 91", language: "es" },
  { city: "Stockholm", region: "Stockholm", country: "Sweden", countryCode: "SWE", continentCode: "EU", dialPrefix: "+46 8", language: "sv" },
  { city: "Warsaw", region: "Masovia", country: "Poland", countryCode: "POL", continentCode: "EU", dialPrefix: "+48 22", language: "pl" },
  { city: "Lagos", region: "Lagos", country: "Nigeria", countryCode: "NGA", continentCode: "AF", dialPrefix: "+234 1", language: "en" },
  { city: "Nairobi", region: "Nairobi", country: "Kenya", countryCode: "KEN", continentCode: "AF", dialPrefix: "+254 20", language: "en" },
  { city: "Bengaluru", region: "Karnataka", country: "India", countryCode: "IND", continentCode: "AS", dialPrefix: "+91 80", language: "en" },
  { city: "Singapore", region: "Singapore", country: "Singapore", countryCode: "SGP", continentCode: "AS", dialPrefix: "+65 6", language: "en" },
  { city: "Tokyo", region: "Tokyo", country: "Japan", countryCode: "JPN", continentCode: "AS", dialPrefix: "+81 3", language: "ja" },
  { city: "Seoul", region: "Seoul", country: "South Korea", countryCode: "KOR", continentCode: "AS", dialPrefix: "+82 2", language: "ko" },
  { city: "Sydney", region: "New South Wales", country: "Australia", countryCode: "AUS", continentCode: "OC", dialPrefix: "+61 2", language: "en" },
  { city: "Auckland", region: "Auckland", country: "New Zealand", countryCode: "NZL", continentCode: "OC", dialPrefix: "+64 9", language: "en" },
];

/** A customer company of the demo workspace. */
export interface CompanySeed {
  name: string;
  domain: string;
  industry: string;
}

/** The demo workspace's customer companies (fictional). */
export const COMPANIES: readonly CompanySeed[] = [
  { name: "Acme Rockets", domain: "acme-rockets.example", industry: "Aerospace" },
  { name: "Blue Sun Logistics", domain: "bluesun.example", industry: "Logistics" },
  { name: "Cobalt Health", domain: "cobalthealth.example", industry: "Healthcare" },
  { name: "Driftwood Books", domain: "driftwood.example", industry: "Publishing" },
  { name: "Ember Analytics", domain: "ember-analytics.example", industry: "Software" },
  { name: "Fjord Energy", domain: "fjordenergy.example", industry: "Energy" },
  { name: "Globex Retail", domain: "globex.example", industry: "Retail" },
  { name: "Harbor Bank", domain: "harborbank.example", industry: "Financial Services" },
  { name: "Initech", domain: "initech.example", industry: "Software" },
  { name: "Juniper Foods", domain: "juniperfoods.example", industry: "Food & Beverage" },
  { name: "Kestrel Robotics", domain: "kestrel.example", industry: "Manufacturing" },
  { name: "Lumen Learning Co", domain: "lumenlearning.example", industry: "Education" },
  { name: "Meridian Travel", domain: "meridiantravel.example", industry: "Travel" },
  { name: "Northwind Traders", domain: "northwind.example", industry: "Wholesale" },
  { name: "Orbit Media", domain: "orbitmedia.example", industry: "Media" },
  { name: "Pinecone Studios", domain: "pinecone.example", industry: "Design" },
  { name: "Quasar Security", domain: "quasarsec.example", industry: "Cybersecurity" },
  { name: "Redwood Legal", domain: "redwoodlegal.example", industry: "Legal" },
  { name: "Summit Outdoor", domain: "summitoutdoor.example", industry: "Retail" },
  { name: "Tidal Games", domain: "tidalgames.example", industry: "Gaming" },
];

/** Domains of personal mailboxes (leads and users without a company). */
export const PERSONAL_DOMAINS = ["mail.example", "inbox.example", "post.example", "example.com", "example.org"] as const;

/** The demo workspace's tags. */
export const TAG_NAMES = [
  "VIP", "Beta tester", "Churn risk", "Enterprise", "Needs follow-up",
  "Onboarding", "Feedback", "Partner", "Trial", "Bug reporter",
] as const;

/** Plans of customers, on contacts and companies. */
export const PLANS = ["Free", "Starter", "Pro", "Enterprise"] as const;

/** Where contacts signed up from (a contact custom attribute). */
export const SIGNUP_SOURCES = ["organic", "paid_search", "referral", "partner", "event", "newsletter"] as const;

/** Browser, version and operating system combinations. */
export const DEVICES = [
  { browser: "chrome", version: "126.0.6478.127", os: "Mac OS X" },
  { browser: "chrome", version: "125.0.6422.142", os: "Windows 10" },
  { browser: "firefox", version: "127.0", os: "Windows 10" },
  { browser: "safari", version: "17.5", os: "Mac OS X" },
  { browser: "safari", version: "17.4", os: "iOS 17.4" },
  { browser: "edge", version: "126.0.2592.68", os: "Windows 11" },
  { browser: "chrome", version: "126.0.6478.71", os: "Android 14" },
  { browser: "firefox", version: "126.0", os: "Linux" },
] as const;

/** Teammates added next to the workspace owner. */
export const TEAMMATES = [
  { name: "Brendan Okafor", job_title: "Support engineer" },
  { name: "Marta Kowalski", job_title: "Customer success manager" },
  { name: "Hiro Tanaka", job_title: "Support engineer" },
] as const;

/** A support thread: what the customer opens with, how the team answers, how the customer follows up. */
export interface Topic {
  subject: string;
  opening: string;
  reply: string;
  followUp: string;
  note: string;
}

/** Conversation topics for contact-initiated conversations. */
export const TOPICS: readonly Topic[] = [
  { subject: "Can't log in", opening: "Hi, I can't log in since this morning. The page just reloads.", reply: "Sorry about that! Could you try clearing your cookies and signing in again?", followUp: "That worked, thanks!", note: "Known issue with the SSO redirect, see incident 214." },
  { subject: "Invoice question", opening: "Hello, my last invoice shows two charges for the same month.", reply: "Thanks for flagging this. I've refunded the duplicate charge; it should appear in 5-7 days.", followUp: "Great, appreciate the quick help.", note: "Duplicate charge from the payment retry bug." },
  { subject: "Export to CSV", opening: "Is there a way to export all my reports to CSV?", reply: "Yes: open Reports, pick the date range, then use Export > CSV in the top right.", followUp: "Found it, thank you.", note: "Customer asked about scheduled exports too; logged as feature request." },
  { subject: "Upgrade plan", opening: "We'd like to move to the Pro plan. Do we keep our data?", reply: "Absolutely, everything stays in place. I can switch you over now if you like.", followUp: "Yes please, go ahead.", note: "Upsell opportunity, loop in the account manager." },
  { subject: "API rate limits", opening: "Our integration keeps getting 429 responses from your API.", reply: "Your workspace allows 1,000 calls per minute; spreading requests over the minute should fix it.", followUp: "We added a backoff and it's fine now.", note: "Sent link to the rate limiting docs." },
  { subject: "Delete my account", opening: "Please delete my account and all my data.", reply: "I've started the deletion; you'll get a confirmation email within 24 hours.", followUp: "Got the email, thanks.", note: "GDPR erasure request, ticket filed with the data team." },
  { subject: "Mobile app crash", opening: "The iOS app crashes whenever I open the settings screen.", reply: "Thanks for the report. Which app version are you on?", followUp: "Version 4.12.1 on iOS 17.", note: "Reproduced on 4.12.1; fix ships in 4.12.2." },
  { subject: "Add teammates", opening: "How do I invite my colleagues to our workspace?", reply: "Go to Settings > Teammates and click Invite; they'll get an email link.", followUp: "Done, they're in.", note: "" },
  { subject: "Password reset email missing", opening: "I requested a password reset but never got the email.", reply: "I've resent it. Could you also check your spam folder?", followUp: "It was in spam, all good now.", note: "Mail provider flagged our reset emails; deliverability team informed." },
  { subject: "Feature request: dark mode", opening: "Any plans for a dark mode? My eyes would thank you.", reply: "It's on our roadmap for next quarter! I've added your vote.", followUp: "Looking forward to it.", note: "Feature vote recorded." },
  { subject: "Webhook not firing", opening: "Our webhook endpoint stopped receiving events yesterday.", reply: "Your endpoint returned 500s for a while, so deliveries were paused. I've re-enabled them.", followUp: "Events are flowing again, thanks.", note: "Endpoint failures from their side; re-enabled subscription." },
  { subject: "Change billing email", opening: "Can you send invoices to finance@ instead of me?", reply: "Done, future invoices go to the new address.", followUp: "Perfect.", note: "" },
];

/** Messages teammates start conversations with (admin-initiated). */
export const OUTREACH: readonly Pick<Topic, "subject" | "opening" | "followUp">[] = [
  { subject: "Welcome aboard", opening: "Hi there, welcome! Let me know if you'd like a quick walkthrough of the product.", followUp: "Thanks! A walkthrough next week would be great." },
  { subject: "Your trial ends soon", opening: "Your trial ends in three days. Want help choosing a plan?", followUp: "We're still evaluating, can we extend by a week?" },
  { subject: "How are we doing?", opening: "You've been with us for a month: how is it going so far?", followUp: "Pretty well overall, the reporting is great." },
  { subject: "Renewal coming up", opening: "Your annual renewal is next month. Any changes to your seat count?", followUp: "We'll need five more seats." },
];
