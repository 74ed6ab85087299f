b
bb
bb
Aba