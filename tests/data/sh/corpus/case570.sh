echo \
continued