// Signing messages and pages. Keep the invitation block first; page texts follow.
export const signing = {
  en: {
    "signing.mail.invitationSubject": "Please sign {number} from {company}",
    "signing.mail.reminderSubject": "Reminder: {number} from {company} is waiting for your signature",
    "signing.mail.greeting": "Hello {name},",
    "signing.mail.bodyDirector": "A document of {company} is ready for your signature as the company's director: {title} ({number}).",
    "signing.mail.bodyClient": "{company} sends you a document to sign electronically: {title} ({number}).",
    "signing.mail.deadline": "Please sign by {date}.",
    "signing.mail.codeNote": "When you open the link we will send you a one-time code to confirm it is you.",
    "signing.mail.action": "Review and sign",
    "signing.sms.invitation": "{company}: please sign {number}: {link}",
    "signing.sms.reminder": "Reminder from {company}: {number} waits for your signature: {link}",
  } as Record<string, string>,
  pl: {
    "signing.mail.invitationSubject": "Prośba o podpis: {number} od {company}",
    "signing.mail.reminderSubject": "Przypomnienie: {number} od {company} czeka na Twój podpis",
    "signing.mail.greeting": "Dzień dobry {name},",
    "signing.mail.bodyDirector": "Dokument firmy {company} czeka na Twój podpis jako dyrektora: {title} ({number}).",
    "signing.mail.bodyClient": "{company} przesyła Ci dokument do podpisu elektronicznego: {title} ({number}).",
    "signing.mail.deadline": "Prosimy o podpis do {date}.",
    "signing.mail.codeNote": "Po otwarciu linku wyślemy jednorazowy kod, aby potwierdzić Twoją tożsamość.",
    "signing.mail.action": "Przejrzyj i podpisz",
    "signing.sms.invitation": "{company}: prosimy o podpis {number}: {link}",
    "signing.sms.reminder": "Przypomnienie od {company}: {number} czeka na podpis: {link}",
  } as Record<string, string>,
};
