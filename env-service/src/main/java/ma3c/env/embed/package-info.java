/**
 * What a program that embeds the env service may use of it (the learner: train, evaluate, play,
 * export, experiment, bench, roofline): an in-process server to reach through the contract, the
 * games a ROM directory offers, the config defaults a session gets, and an environment stepped
 * in-process for measurements. The rest of env-service is its own to change.
 */
package ma3c.env.embed;
