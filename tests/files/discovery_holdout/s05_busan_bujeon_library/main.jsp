<%@ page language="java" contentType="text/html; charset=UTF-8" pageEncoding="UTF-8"%>
<%@ include file="../../include/header.jsp" %>
<div class="main_visual"><img src="${pageContext.request.contextPath}/resources/user/images/main/visual01.jpg" alt="부전도서관에 오신 것을 환영합니다" /></div>
<div class="main_con">
	<div class="m_notice">
		<h2>공지사항</h2>
		<ul>
			<li><a href="/noticedetail?m1=06&m2=01&num=512">정기 휴관일 안내</a></li>
			<li><a href="/noticedetail?m1=06&m2=01&num=509">독서문화 프로그램 수강생 모집</a></li>
		</ul>
	</div>
	<div class="m_quick">
		<a href="/search?m1=01&m2=01">자료검색</a>
		<a href="/useinfo?m1=02&m2=01">이용시간</a>
	</div>
</div>
<%@ include file="../../include/footer.jsp" %>
