//! `adduser`, `addgroup`, `useradd`, `groupadd` against the reference tools as oracles.
