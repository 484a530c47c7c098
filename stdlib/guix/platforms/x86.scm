;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (guix platforms x86): the x86 platforms of GNU Guix 1.5 -- GNU/Linux
;;; (i686, x86_64), MinGW (i686, x86_64) and GNU/Hurd (i586, x86_64), as
;;; <platform> records (see (guix platform)).  GNU/Hurd images are for
;;; i586-gnu (cross-built for "i586-pc-gnu") or x86_64-gnu.

(define-module (guix platforms x86)
  #:use-module (guix platform)
  #:use-module (guix records)
  #:export (i686-linux
            x86_64-linux
            i686-mingw
            x86_64-mingw
            i586-gnu
            x86_64-gnu))

(define i686-linux
  (platform
   (target "i686-linux-gnu")
   (system "i686-linux")
   (linux-architecture "i386")
   (rust-target "i686-unknown-linux-gnu")
   (glibc-dynamic-linker "/lib/ld-linux.so.2")))

(define x86_64-linux
  (platform
   (target "x86_64-linux-gnu")
   (system "x86_64-linux")
   (linux-architecture "x86_64")
   (rust-target "x86_64-unknown-linux-gnu")
   (glibc-dynamic-linker "/lib/ld-linux-x86-64.so.2")))

(define i686-mingw
  (platform
   (target "i686-w64-mingw32")
   (system #f)
   (rust-target "i686-pc-windows-gnu")
   (glibc-dynamic-linker #f)))

(define x86_64-mingw
  (platform
   (target "x86_64-w64-mingw32")
   (system #f)
   (rust-target "x86_64-pc-windows-gnu")
   (glibc-dynamic-linker #f)))

(define i586-gnu
  (platform
   (target "i586-pc-gnu")
   (system "i586-gnu")
   (rust-target "i686-unknown-hurd-gnu")
   (glibc-dynamic-linker "/lib/ld.so.1")))

(define x86_64-gnu
  (platform
   (target "x86_64-pc-gnu")
   (system "x86_64-gnu")
   (rust-target "x86_64-unknown-hurd-gnu")
   (glibc-dynamic-linker "/lib/ld-x86-64.so.1")))
