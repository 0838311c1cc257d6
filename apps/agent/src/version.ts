/** The agent's version, reported at enrolment and with every push. */
export const VERSION = '0.2.0';
