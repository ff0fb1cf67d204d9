-e 'println("start")
panic("boom")'
