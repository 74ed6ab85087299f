//! chpasswd, passwd.
