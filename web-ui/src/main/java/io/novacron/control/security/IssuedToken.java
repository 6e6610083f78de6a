package io.novacron.control.security;

/** A token just created: {@code secret} is the bearer value, shown this once and stored only hashed. */
public record IssuedToken(ApiToken token, String secret) {}
