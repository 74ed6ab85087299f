//! userdel, groupdel, deluser, delgroup.
